from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maille.expenses"
    label = "expenses"
    verbose_name = _("Expenses and purchases")

    def ready(self) -> None:
        # Approved claims are reimbursed, and suppliers paid, with the next pay
        # run's bank file: payroll sits below and never imports expenses, so
        # expenses registers.
        from maille.expenses.reimbursements import (
            ReimbursementProvider,
            SupplierPaymentProvider,
        )
        from maille.payroll.bankfile import bank_file_provider_register

        bank_file_provider_register("expenses", ReimbursementProvider())
        bank_file_provider_register("expenses-suppliers", SupplierPaymentProvider())
