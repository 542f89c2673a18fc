from django.urls import path

from maille.guarantee import views

app_name = "guarantee"
urlpatterns = [
    path("fonds/", views.fund, name="fund"),
    path("fonds/simulation/", views.stress, name="stress"),
    path("fonds/avances/", views.advances, name="advances"),
    path("fonds/executer/", views.run, name="run"),
    path("fonds/brouillon/", views.draft_check, name="draft"),
    path("fonds/factures/<int:pk>/", views.invoice_eligibility, name="invoice"),
    path("fonds/factures/<int:pk>/contrat/", views.contract_record, name="contract"),
    path("fonds/devis/<int:pk>/", views.quote_eligibility, name="quote"),
    path("fonds/clients/<int:pk>/", views.client_risk, name="client_risk"),
    path("fonds/clients/<int:pk>/<slug:action>/", views.client_exclusion, name="client_exclusion"),
]
