from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "maille.collection"
    label = "collection"
    verbose_name = _("Collection")

    def ready(self) -> None:
        from maille.collection.mail import FORMAL_NOTICE
        from maille.documents.kinds import register

        register(FORMAL_NOTICE)

        # Late interest collected uses part of a client's credit (payments
        # cannot import collection: it asks through its hook).
        from maille.collection.income import credit_used_by_interest
        from maille.payments.hooks import on_credit_used

        on_credit_used(credit_used_by_interest)
