from django.urls import path

from maille.invoicing import views

app_name = "invoicing"
urlpatterns = [
    path("invoices/", views.invoice_list, name="list"),
    path("invoices/new/", views.invoice_create, name="create"),
    path("invoices/issue/", views.invoice_issue_many, name="issue_many"),
    path("invoices/from-quote/<int:quote_pk>/", views.invoice_from_quote, name="from_quote"),
    path("invoices/<int:pk>/", views.invoice_detail, name="detail"),
    path("invoices/<int:pk>/edit/", views.invoice_edit, name="edit"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="pdf"),
    path("invoices/<int:pk>/ubl/", views.invoice_ubl, name="ubl"),
    path("invoices/<int:pk>/discard/", views.invoice_discard, name="discard"),
    path("invoices/<int:pk>/<slug:action>/", views.invoice_action, name="action"),
    path("activities/<int:pk>/pipeline/", views.activity_pipeline, name="pipeline"),
    path("portal/", views.portal, name="portal"),
    path("portal/invoices/<int:pk>/pdf/", views.portal_invoice_pdf, name="portal_pdf"),
    path("portal/quotes/<int:pk>/pdf/", views.portal_quote_pdf, name="portal_quote_pdf"),
    # The client's signed link: no account needed.
    path("i/<str:token>/", views.invoice_public, name="public"),
]
