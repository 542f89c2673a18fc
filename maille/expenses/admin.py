"""Expense rules in the admin: admins edit the dated figures (history kept); claims,
purchases and receipts are read there, written only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from maille.expenses.models import ExpenseClaim, ExpenseRules, Purchase


@admin.register(ExpenseRules)
class ExpenseRulesAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = (
        "valid_from",
        "km_rate_first",
        "km_rate_after",
        "km_threshold",
        "meals_credit_share",
        "registration_threshold",
        "reimbursement_code",
    )

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # A revert is a change: only for those who may change the rules.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


class _ReadOnly(SimpleHistoryAdmin):  # type: ignore[misc]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(_ReadOnly):
    list_display = ("pk", "date", "member", "activity", "kind", "amount", "itc", "itr", "status")
    list_filter = ("status", "kind", "category")


@admin.register(Purchase)
class PurchaseAdmin(_ReadOnly):
    list_display = ("pk", "date", "supplier", "invoice_number", "activity", "amount", "status")
    list_filter = ("status",)
