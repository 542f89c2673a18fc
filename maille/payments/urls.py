from django.urls import path

from maille.payments import views

app_name = "payments"
urlpatterns = [
    path("payments/", views.payment_list, name="list"),
    path("payments/record/", views.payment_record, name="record"),
    path("payments/<int:pk>/", views.payment_detail, name="detail"),
    path("payments/<int:pk>/<slug:action>/", views.payment_action, name="action"),
]
