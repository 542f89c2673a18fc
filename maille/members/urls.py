from django.urls import path

from maille.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("members/new/", views.member_admit, name="admit"),
    path("members/me/", views.my_profile, name="me"),
    path("members/<int:pk>/", views.member_detail, name="detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="edit"),
    path("members/<int:pk>/status/", views.member_status, name="status"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/close/", views.activity_close, name="activity_close"),
]
