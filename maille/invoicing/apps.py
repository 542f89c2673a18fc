from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "maille.invoicing"
    label = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self) -> None:
        from maille.documents.kinds import register
        from maille.invoicing import checks  # noqa: F401 — registers the system checks
        from maille.invoicing.mail import INVOICE

        register(INVOICE)
