from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "maille.payroll"
    label = "payroll"
    verbose_name = _("Payroll")

    def ready(self) -> None:
        from maille.documents.kinds import register
        from maille.payroll.mail import PAYSLIP

        register(PAYSLIP)
