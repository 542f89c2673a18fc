from django.urls import path

from maille.contracts import views

app_name = "contracts"
urlpatterns = [
    path("quotes/", views.quote_list, name="list"),
    path("quotes/new/", views.quote_create, name="create"),
    path("quotes/totals/", views.quote_totals, name="totals"),
    path("quotes/<int:pk>/", views.quote_detail, name="detail"),
    path("quotes/<int:pk>/edit/", views.quote_edit, name="edit"),
    path("quotes/<int:pk>/pdf/", views.quote_pdf, name="pdf"),
    path("quotes/<int:pk>/<slug:action>/", views.quote_action, name="action"),
    # The client's signed link: no account needed.
    path("q/<str:token>/", views.quote_public, name="public"),
    path("q/<str:token>/pdf/", views.quote_public_pdf, name="public_pdf"),
]
