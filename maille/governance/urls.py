from django.urls import path

from maille.governance import board_views, views

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
    path("gouvernance/scrutins/", board_views.ballots, name="ballots"),
    path("gouvernance/scrutins/nouveau/", board_views.ballot_new, name="ballot_new"),
    path(
        "gouvernance/scrutins/<int:pk>/<slug:action>/",
        board_views.ballot_action,
        name="ballot_action",
    ),
    path("gouvernance/assemblees/nouvelle/", board_views.meeting_new, name="meeting_new"),
    path(
        "gouvernance/assemblees/<int:pk>/<slug:action>/",
        board_views.meeting_action,
        name="meeting_action",
    ),
    path("gouvernance/registre/<int:pk>/", board_views.member_shares, name="member_shares"),
    path(
        "gouvernance/registre/<int:pk>/<slug:action>/",
        board_views.member_action,
        name="member_action",
    ),
    path("gouvernance/mes-parts/demission/", board_views.my_resignation, name="my_resignation"),
    path(
        "gouvernance/ristournes/<int:pk>/<slug:action>/",
        board_views.ristourne_action,
        name="ristourne_action",
    ),
    path("gouvernance/ristournes/", views.ristournes, name="ristournes"),
    path("gouvernance/ristournes/<int:pk>/", views.ristourne, name="ristourne"),
]
