from django.urls import path

from maille.expenses import views

app_name = "expenses"
urlpatterns = [
    path("depenses/", views.mine, name="mine"),
    path("depenses/nouvelle/", views.claim_new, name="new"),
    path("depenses/kilometrage/nouveau/", views.mileage_new, name="mileage_new"),
    path("depenses/<int:pk>/", views.detail, name="detail"),
    path("depenses/<int:pk>/approuver/", views.approve, name="approve"),
    path("depenses/<int:pk>/retourner/", views.return_, name="return"),
    path("depenses/justificatifs/<int:pk>/", views.receipt, name="receipt"),
    path("depenses/a-approuver/", views.queue, name="queue"),
    path("depenses/export/", views.export, name="export"),
    path("depenses/achats/nouveau/", views.purchase_new, name="purchase_new"),
    path("depenses/achats/<int:pk>/", views.purchase_detail, name="purchase_detail"),
    path("depenses/achats/<int:pk>/approuver/", views.purchase_approve, name="purchase_approve"),
    path("depenses/achats/<int:pk>/refuser/", views.purchase_refuse, name="purchase_refuse"),
    path("depenses/achats/<int:pk>/payer/", views.purchase_pay, name="purchase_pay"),
]
