from django.urls import path

from maille.payroll import views

app_name = "payroll"
urlpatterns = [
    path("simulateur/", views.simulator, name="simulator"),
]
