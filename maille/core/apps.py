from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maille.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from maille.core import checks  # noqa: F401 — registers the checks
        from maille.core.auth import record_second_factor_set_up

        authenticator_added.connect(record_second_factor_set_up, dispatch_uid="maille-mfa-added")
