from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maille.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from maille.governance import convocation

        convocation.declare()
