from django.urls import path

from maille.governance import views

app_name = "governance"
urlpatterns = [
    path("adhesion/", views.apply, name="apply"),
    path("ag/<str:token>/", views.convocation_public, name="convocation_public"),
    path("gouvernance/demandes/", views.applications, name="applications"),
    path("gouvernance/demandes/<int:pk>/", views.application, name="application"),
    path("gouvernance/mes-parts/", views.my_shares, name="my_shares"),
    path("gouvernance/registre/", views.register, name="register"),
    path("gouvernance/registre.csv", views.register_csv, name="register_csv"),
    path("gouvernance/registre.pdf", views.register_pdf, name="register_pdf"),
    path("gouvernance/assemblees/", views.meetings, name="meetings"),
    path("gouvernance/assemblees/<int:pk>/", views.meeting, name="meeting"),
    path("gouvernance/scrutins/<int:pk>/", views.ballot, name="ballot"),
    path("gouvernance/ristournes/", views.ristournes, name="ristournes"),
    path("gouvernance/ristournes/<int:pk>/", views.ristourne, name="ristourne"),
]
