from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "maille.contracts"
    label = "contracts"
    verbose_name = _("Quotes and contracts")
