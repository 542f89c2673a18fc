"""Expense rules in the admin: admins edit the dated figures (history kept); claims,
purchases and receipts are read there, written only through the services."""

from __future__ import annotations

from django.contrib import admin

from maille.core.admin_tools import ReadOnlyAdminMixin, SafeHistoryAdmin
from maille.expenses.models import ExpenseClaim, ExpenseRules, Purchase


@admin.register(ExpenseRules)
class ExpenseRulesAdmin(SafeHistoryAdmin):
    list_display = (
        "valid_from",
        "km_rate_first",
        "km_rate_after",
        "km_threshold",
        "meals_credit_share",
        "registration_threshold",
        "reimbursement_code",
    )


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(ReadOnlyAdminMixin, SafeHistoryAdmin):
    list_display = ("pk", "date", "member", "activity", "kind", "amount", "itc", "itr", "status")
    list_filter = ("status", "kind", "category")


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdminMixin, SafeHistoryAdmin):
    list_display = ("pk", "date", "supplier", "invoice_number", "activity", "amount", "status")
    list_filter = ("status",)
