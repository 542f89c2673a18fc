"""The by-law settings in the admin: dated rows that admins add, staff read.

Like the payroll settings (``maille/payroll/admin.py``), adding or changing a
row asks for ``is_superuser``: the by-laws are the admins' (ARCHITECTURE §1).
Other governance rows are written by the services only; the admin shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from maille.governance.models import Bylaws


@admin.register(Bylaws)
class BylawsAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = (
        "valid_from",
        "share_price",
        "qualifying_shares_worker",
        "qualifying_shares_auxiliary",
        "instalments_allowed",
        "notice_days",
        "quorum_percent",
        "redemption_allowed",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a by-law row is replaced by a later one, never deleted

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response
