from django.contrib import admin

from maille.core.admin_tools import ReadOnlyAdminMixin, SafeHistoryAdmin
from maille.invoicing.models import ContributionPolicy, Invoice, InvoicingSettings


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, SafeHistoryAdmin):
    """Read-only: invoices change only through the services (issue, credit note)."""

    list_display = ("__str__", "kind", "status", "buyer_name", "issue_date", "total")
    list_filter = ("status", "kind")
    search_fields = ("number", "buyer_name")


@admin.register(ContributionPolicy)
class ContributionPolicyAdmin(SafeHistoryAdmin):
    list_display = ("valid_from", "rate", "fund_share", "source")


@admin.register(InvoicingSettings)
class InvoicingSettingsAdmin(SafeHistoryAdmin):
    list_display = ("valid_from", "max_backdating_days", "source")
