from django.urls import path

from maille.clients import views

app_name = "clients"
urlpatterns = [
    path("clients/", views.client_list, name="list"),
    path("clients/new/", views.client_create, name="create"),
    path("clients/<int:pk>/", views.client_detail, name="detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="edit"),
    path("clients/<int:pk>/contacts/", views.client_contact_add, name="contact_add"),
    path(
        "clients/<int:pk>/contacts/<int:contact_pk>/",
        views.client_contact_edit,
        name="contact_edit",
    ),
]
