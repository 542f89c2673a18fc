"""The co-op's payroll settings in the admin: admins edit them, staff read them.

The project's ``User.has_perm`` gives staff every permission of the apps in
``STAFF_APPS``, payroll included (they run the pay runs). The employer
figures are a co-op setting, the admins' (ARCHITECTURE §1), so this admin
asks for ``is_superuser`` to add, change or delete one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from maille.payroll.models import (
    EasterChoice,
    EmployerPayrollSettings,
    MinimumWage,
    PayrollOperationsSettings,
)


class AdminsEdit(SimpleHistoryAdmin):  # type: ignore[misc]
    """A dated co-op setting: admins add, change or delete it; staff read it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # simple-history shows an old version to whoever may view the row,
        # and saves it ("revert") on POST without asking for the change
        # permission: staff could revert what only admins may change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


@admin.register(EmployerPayrollSettings)
class EmployerPayrollSettingsAdmin(AdminsEdit):
    list_display = (
        "valid_from",
        "cnesst_unit_code",
        "cnesst_unit_label",
        "cnesst_rate",
        "fss_sector",
        "total_payroll",
        "wsdrf_applies",
    )
    fields = (
        "valid_from",
        ("cnesst_unit_code", "cnesst_unit_label"),
        "cnesst_rate",
        "fss_sector",
        "total_payroll",
        "wsdrf_applies",
        "note",
    )


@admin.register(PayrollOperationsSettings)
class PayrollOperationsSettingsAdmin(AdminsEdit):
    list_display = ("valid_from", "first_pay_date", "vacation_pay", "rq_remitter_type")


@admin.register(MinimumWage)
class MinimumWageAdmin(AdminsEdit):
    list_display = ("valid_from", "hourly", "source")


@admin.register(EasterChoice)
class EasterChoiceAdmin(AdminsEdit):
    """The co-op's yearly Easter holiday (LNT art. 60): admins choose, staff read."""

    list_display = ("valid_from", "holiday", "source")
    fields = ("valid_from", "holiday", "source")
