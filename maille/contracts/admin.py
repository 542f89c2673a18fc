from django.contrib import admin

from maille.contracts.models import Quote, QuoteDecision, QuoteLine, TrustedMember
from maille.core.admin_tools import SafeHistoryAdmin


class LineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = QuoteLine
    extra = 0


@admin.register(Quote)
class QuoteAdmin(SafeHistoryAdmin):
    list_display = ("number", "title", "client", "activity", "status", "quote_date")
    list_filter = ("status",)
    search_fields = ("number", "title", "client__legal_name")
    raw_id_fields = ("client", "activity", "author")
    inlines = (LineInline,)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(QuoteDecision)
class QuoteDecisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("quote", "decision", "decided_at", "signer_name", "ip_address")
    readonly_fields = [f.name for f in QuoteDecision._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TrustedMember)
class TrustedMemberAdmin(SafeHistoryAdmin):
    """The co-op setting: members whose quotes to a client skip staff validation."""

    list_display = ("member", "client", "granted_by", "granted_at")
    raw_id_fields = ("member", "client")
