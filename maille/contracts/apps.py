from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "maille.contracts"
    label = "contracts"
    verbose_name = _("Quotes and contracts")

    def ready(self) -> None:
        from maille.contracts.mail import QUOTE
        from maille.documents.kinds import register

        register(QUOTE)
