from django.contrib import admin

from maille.core.admin_tools import SafeHistoryAdmin
from maille.invoicing.models import ContributionPolicy, Invoice, InvoicingSettings


@admin.register(Invoice)
class InvoiceAdmin(SafeHistoryAdmin):
    """Read-only: invoices change only through the services (issue, credit note)."""

    list_display = ("__str__", "kind", "status", "buyer_name", "issue_date", "total")
    list_filter = ("status", "kind")
    search_fields = ("number", "buyer_name")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ContributionPolicy)
class ContributionPolicyAdmin(SafeHistoryAdmin):
    list_display = ("valid_from", "rate", "fund_share", "source")


@admin.register(InvoicingSettings)
class InvoicingSettingsAdmin(SafeHistoryAdmin):
    list_display = ("valid_from", "max_backdating_days", "source")
