"""Admin helpers shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
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


class AdminsEditAdmin(SafeHistoryAdmin):
    """A dated co-op setting: admins add and change it (history kept), staff
    read it. A row is replaced by a later one, not deleted, unless
    ``admins_may_delete``."""

    admins_may_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admins_may_delete and bool(request.user.is_superuser)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no login of its own: its form checked a password alone,
    outside the lock-out and the second factor, and told a member that their
    (right) password belonged to a non-staff account. Everyone logs in through
    allauth's page, then comes back (docs/decisions/0005)."""
    user = request.user
    if user.is_authenticated:
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return redirect(reverse("admin:index"))
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
