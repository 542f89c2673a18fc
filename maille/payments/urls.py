from django.urls import path

from maille.payments import bank_views, views

app_name = "payments"
urlpatterns = [
    path("payments/", views.payment_list, name="list"),
    path("payments/record/", views.payment_record, name="record"),
    path("payments/<int:pk>/", views.payment_detail, name="detail"),
    path("payments/<int:pk>/<slug:action>/", views.payment_action, name="action"),
    path("bank/", bank_views.bank_account_list, name="bank_accounts"),
    path("bank/new/", bank_views.bank_account_edit, name="bank_account_new"),
    path("bank/<int:pk>/", bank_views.bank_account_detail, name="bank_account"),
    path("bank/<int:pk>/edit/", bank_views.bank_account_edit, name="bank_account_edit"),
    path("bank/<int:pk>/import/", bank_views.statement_upload, name="import"),
    path("bank/<int:pk>/mapping/", bank_views.csv_mapping, name="mapping"),
    path("bank/<int:pk>/reconcile/", bank_views.reconcile, name="reconcile"),
    path("bank/imports/<int:pk>/", bank_views.import_detail, name="import_detail"),
    path("bank/lines/", bank_views.line_queue, name="queue"),
    path("bank/lines/confirm/", bank_views.lines_confirm, name="confirm"),
    path("bank/lines/rematch/", bank_views.queue_rematch, name="rematch"),
    path("bank/lines/<int:pk>/", bank_views.line_detail, name="line"),
    path("bank/lines/<int:pk>/<slug:action>/", bank_views.line_action, name="line_action"),
]
