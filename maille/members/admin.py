from django.contrib import admin

from maille.core.admin_tools import AdminsEditAdmin, ReadOnlyAdminMixin, SafeHistoryAdmin
from maille.members.models import Activity, Directorship, Member, MemberStatusChange


class StatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = MemberStatusChange
    extra = 0
    readonly_fields = ("status", "effective_date", "reason", "changed_by", "changed_at")


@admin.register(Member)
class MemberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """No history page here: its value diffs would show the SIN and bank account
    in clear. The member page shows the audit trail with those masked."""

    list_display = ("number", "user", "status", "province")
    list_filter = ("status", "province")
    search_fields = ("number", "user__email", "user__last_name")
    list_select_related = ("user",)
    exclude = ("sin", "bank_account")
    readonly_fields = ("sin_masked", "bank_account_masked")
    inlines = (StatusChangeInline,)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, SafeHistoryAdmin):
    list_display = ("code", "name", "kind", "status", "start_date")
    list_filter = ("kind", "status")
    search_fields = ("code", "name")


@admin.register(Directorship)
class DirectorshipAdmin(AdminsEditAdmin):
    """Admins mark the directors (after an election), with the dates of the seat;
    staff see the board but do not change it."""

    admins_may_delete = True
    list_display = ("member", "started_on", "ended_on", "note")
    list_select_related = ("member__user",)
    autocomplete_fields = ("member",)
