from django.urls import path

from maille.collection import views

app_name = "collection"
urlpatterns = [
    path("collection/", views.queue, name="queue"),
    path("collection/cases/<int:pk>/", views.case_detail, name="case"),
    path("collection/cases/<int:pk>/export/", views.case_export, name="export"),
    path("collection/cases/<int:pk>/<str:action>/", views.case_action, name="action"),
    path("collection/notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("collection/letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("collection/recoveries/", views.recoveries, name="recoveries"),
    path("collection/policy/", views.policy, name="policy"),
    path("collection/aging/", views.aging, name="aging"),
    path("collection/mine/", views.mine, name="mine"),
    path("collection/mine/<int:invoice_id>/hold/", views.hold, name="hold"),
    path("collection/disputes/<int:pk>/answer/", views.dispute_answer, name="dispute_answer"),
    path("portal/collection/", views.portal, name="portal"),
    path("portal/collection/<str:what>/", views.portal_answer, name="portal_answer"),
    path("mn/<str:token>/", views.notice_public, name="notice_public"),
]
