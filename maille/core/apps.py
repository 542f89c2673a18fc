from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maille.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.db.models import Field, ForeignObject

        from maille.core import checks  # noqa: F401 — registers the checks
        from maille.core.auth import record_second_factor_set_up
        from maille.core.lookups import AnyOf

        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)  # by id: client_id__any=[…]
        authenticator_added.connect(record_second_factor_set_up, dispatch_uid="maille-mfa-added")
