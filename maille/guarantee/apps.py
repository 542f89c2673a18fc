from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maille.guarantee"
    verbose_name = _("Guarantee fund")

    def ready(self) -> None:
        # Advance an eligible invoice in the transaction that issues it.
        from maille.guarantee import advances
        from maille.invoicing import hooks

        hooks.on_issue(advances.advance_at_issue)
        # Record when an advance's salary is paid (the fund page's observed delay).
        from maille.payroll import hooks as payroll_hooks

        payroll_hooks.on_posted(advances.salaries_paid)
