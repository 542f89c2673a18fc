"""Admin helpers shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdminMixin:
    """The admin shows these records; changes go through Maille's pages, whose
    services validate, keep the dated history and write the audit trail.
    (Editing in the admin would skip all of that.)"""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SafeHistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """django-simple-history's admin, with its "revert" form held to the change
    permission: the stock form saves on POST for anyone who may view."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response
