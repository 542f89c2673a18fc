from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from maille.members.models import Activity, Member, MemberStatusChange


class StatusChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MemberStatusChange
    extra = 0
    readonly_fields = ("status", "effective_date", "reason", "changed_by", "changed_at")
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False  # statuses change through the member page (dated history)


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("number", "user", "status", "province")
    list_filter = ("status", "province")
    search_fields = ("number", "user__email", "user__last_name")
    list_select_related = ("user",)
    exclude = ("sin", "bank_account")  # encrypted; shown masked, changed on the member page
    readonly_fields = ("user", "status", "sin_masked", "bank_account_masked")
    inlines = (StatusChangeInline,)


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("code", "name", "kind", "status", "start_date")
    list_filter = ("kind", "status")
    search_fields = ("code", "name")
    filter_horizontal = ("owners",)
