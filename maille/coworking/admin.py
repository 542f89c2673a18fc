from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from maille.core.admin_tools import SafeHistoryAdmin
from maille.coworking.models import Booking, Loan, Pass, PassPrice, Price, Resource, Rule, Site


class PriceInline(admin.TabularInline[Price, Resource]):
    model = Price
    extra = 0


class RuleInline(admin.TabularInline[Rule, Resource]):
    model = Rule
    extra = 0


@admin.register(Site)
class SiteAdmin(SafeHistoryAdmin):
    list_display = ("name", "city", "opens_at", "closes_at", "open_days", "is_active")


@admin.register(Resource)
class ResourceAdmin(SafeHistoryAdmin):
    list_display = ("name", "site", "kind", "capacity", "serial_number", "is_active")
    list_filter = ("site", "kind", "is_active")
    inlines = [PriceInline, RuleInline]


@admin.register(PassPrice)
class PassPriceAdmin(SafeHistoryAdmin):
    list_display = ("site", "kind", "hours", "price", "valid_from")


@admin.register(Pass)
class PassAdmin(admin.ModelAdmin[Pass]):
    list_display = ("member", "site", "kind", "valid_from", "valid_until", "price")
    readonly_fields = ("member", "activity", "site", "kind", "hours", "price")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ("resource", "start", "end", "member", "guest_name", "status", "price")
    list_filter = ("status", "resource__site")
    date_hierarchy = "start"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # bookings go through the service (rules, budget, ledger)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin[Loan]):
    list_display = ("resource", "member", "checked_out_at", "due_at", "checked_in_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
