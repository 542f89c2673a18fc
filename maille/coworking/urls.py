from django.urls import path

from maille.coworking import staff_views, views

app_name = "coworking"

urlpatterns = [
    path("coworking/", views.home, name="home"),
    path("coworking/sites/<int:pk>/week/", views.week, name="week"),
    path("coworking/sites/<int:pk>/day/", views.day, name="day"),
    path("coworking/resources/<int:pk>/book/", views.book, name="book"),
    path("coworking/mine/", views.mine, name="mine"),
    path("coworking/bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("coworking/passes/buy/", views.pass_buy, name="pass_buy"),
    path("coworking/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("coworking/ical/<str:token>/", views.feed, name="feed"),
    path("coworking/b/<str:token>/", views.booking_link, name="booking_link"),
    path("coworking/guest/", views.guest, name="guest"),
    path("coworking/staff/day/", staff_views.staff_day, name="staff_day"),
    path(
        "coworking/staff/bookings/<int:pk>/invoice/",
        staff_views.guest_invoice,
        name="guest_invoice",
    ),
    path("coworking/staff/resources/", staff_views.staff_resources, name="staff_resources"),
    path(
        "coworking/staff/resources/new/", staff_views.staff_resource_edit, name="staff_resource_new"
    ),
    path(
        "coworking/staff/resources/<int:pk>/",
        staff_views.staff_resource_edit,
        name="staff_resource_edit",
    ),
    path(
        "coworking/staff/resources/<int:pk>/feed/revoke/",
        staff_views.staff_feed_revoke,
        name="staff_feed_revoke",
    ),
    path("coworking/staff/sites/", staff_views.staff_sites, name="staff_sites"),
    path("coworking/staff/sites/<int:pk>/", staff_views.staff_site_edit, name="staff_site_edit"),
    path("coworking/staff/loans/", staff_views.loans, name="loans"),
    path(
        "coworking/staff/loans/<int:pk>/check-in/", staff_views.loan_check_in, name="loan_check_in"
    ),
    path("coworking/occupancy/", staff_views.occupancy, name="occupancy"),
]
