from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from maille.clients.models import Client, ClientContact


class ContactInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClientContact
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("legal_name", "kind", "province", "country", "gst_number")
    list_filter = ("kind", "province", "country")
    search_fields = ("legal_name", "gst_number", "neq")
    inlines = (ContactInline,)
