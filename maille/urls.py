from django.contrib import admin
from django.urls import include, path

from maille.core.admin_tools import admin_login

admin.site.site_header = "Maille"
admin.site.site_title = "Maille"
# One login for the whole site: allauth's, with the lock-out and the second factor.
admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", include("maille.web.urls")),
    path("", include("maille.members.urls")),
    path("", include("maille.clients.urls")),
    path("", include("maille.payroll.urls")),
    path("", include("maille.guarantee.urls")),
    path("", include("maille.contracts.urls")),
    path("", include("maille.invoicing.urls")),
    path("", include("maille.payments.urls")),
    path("", include("maille.governance.urls")),
    path("", include("maille.collection.urls")),
    path("", include("maille.ledger.urls")),
    path("", include("maille.expenses.urls")),
    path("", include("maille.coworking.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("maille.api.urls")),
]
