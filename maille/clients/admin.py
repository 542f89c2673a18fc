from django.contrib import admin

from maille.clients.models import Client, ClientContact
from maille.core.admin_tools import ReadOnlyAdminMixin, SafeHistoryAdmin


class ContactInline(ReadOnlyAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = ClientContact
    extra = 0


@admin.register(Client)
class ClientAdmin(ReadOnlyAdminMixin, SafeHistoryAdmin):
    list_display = ("legal_name", "kind", "province", "country", "gst_number")
    list_filter = ("kind", "province", "country")
    search_fields = ("legal_name", "gst_number", "neq")
    inlines = (ContactInline,)
