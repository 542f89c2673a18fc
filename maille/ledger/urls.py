from django.urls import path

from maille.ledger import views

app_name = "ledger"
urlpatterns = [
    path("activities/<int:pk>/statement/", views.activity_statement, name="activity_statement"),
    path(
        "activities/<int:pk>/statement.csv",
        views.activity_statement_csv,
        name="activity_statement_csv",
    ),
    path("ledger/", views.trial_balance, name="trial_balance"),
    path("ledger/trial-balance.csv", views.trial_balance_csv, name="trial_balance_csv"),
    path("ledger/accounts/<str:code>/", views.general_ledger, name="general_ledger"),
    path(
        "ledger/accounts/<str:code>/ledger.csv", views.general_ledger_csv, name="general_ledger_csv"
    ),
    path("ledger/periods/", views.period_list, name="periods"),
    path("ledger/periods/close/", views.period_close, name="period_close"),
    path("ledger/periods/reopen/", views.period_reopen, name="period_reopen"),
]
