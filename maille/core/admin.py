from django.contrib import admin

from maille.core.admin_tools import SafeHistoryAdmin
from maille.core.models import User


@admin.register(User)
class UserAdmin(SafeHistoryAdmin):
    list_display = ("email", "first_name", "last_name", "role", "language", "is_active")
    list_filter = ("role", "is_active", "language")
    search_fields = ("email", "first_name", "last_name")
    exclude = ("password", "groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    # Admins change roles here; staff may only look (User.has_perm).
