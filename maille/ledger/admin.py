"""The ledger in the Django admin: the chart of accounts is edited here by
admins; entries, lines and periods are read-only (they change only through
the posting and period services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from maille.core.admin_tools import ReadOnlyAdminMixin
from maille.ledger.models import Account, JournalEntry, JournalLine, Period, PeriodEvent


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name_fr", "name_en", "type", "is_open")
    list_filter = ("type", "is_open")
    search_fields = ("code", "name_fr", "name_en")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) or (obj is None and request.user.is_staff)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code of an account that has lines is what the exports and
        # other apps know it by: it stays.
        if obj is not None and obj.lines.exists():
            return ("code", "type")
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not request.user.is_superuser:
            return False
        return obj is None or not obj.lines.exists()


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Journal entries and periods change only through the ledger's services."""


class JournalLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = JournalLine
    fields = ("account", "activity", "amount", "memo")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("number", "date", "description", "posted_by", "posted_at")
    search_fields = ("=number", "description", "idempotency_key")
    date_hierarchy = "date"
    list_select_related = ("posted_by",)
    inlines = (JournalLineInline,)


class PeriodEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PeriodEvent
    fields = ("action", "reason", "acting_user", "at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("month", "is_closed")
    inlines = (PeriodEventInline,)
