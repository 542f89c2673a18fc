from django.urls import path

from maille.payroll import views

app_name = "payroll"
urlpatterns = [
    path("simulateur/", views.simulator, name="simulator"),
    path("paie/", views.my_pay, name="my_pay"),
    path("paie/dossier/", views.employment_edit, name="my_employment"),
    path("paie/demandes/<int:pk>/annuler/", views.request_cancel, name="request_cancel"),
    path("paie/bulletins/<int:pk>/pdf/", views.payslip_pdf_view, name="payslip_pdf"),
    path("paie/b/<str:token>/", views.payslip_link, name="payslip_link"),
    path("paie/bulletins/<int:pk>/annuler/", views.payslip_reverse, name="payslip_reverse"),
    path("paie/bulletins/<int:pk>/retour/", views.payslip_returned, name="payslip_returned"),
    path(
        "paie/bulletins/<int:pk>/paye-autrement/",
        views.payslip_paid_otherwise,
        name="payslip_paid_otherwise",
    ),
    path("paie/dossiers/", views.staff_employment, name="staff_employment"),
    path("paie/dossiers/<int:member_pk>/", views.employment_edit, name="employment_edit"),
    path("paie/demandes/", views.staff_requests, name="staff_requests"),
    path("paie/paies/", views.runs, name="runs"),
    path("paie/paies/<int:pk>/", views.run_detail, name="run_detail"),
    path("paie/paies/<int:pk>/approuver/", views.run_approve, name="run_approve"),
    path("paie/paies/<int:pk>/reprendre/", views.run_resume, name="run_resume"),
    path("paie/paies/<int:pk>/bulletins-pdf/", views.run_pdfs, name="run_pdfs"),
    path("paie/paies/<int:pk>/fichier-bancaire/", views.run_bank_file, name="run_bank_file"),
    path(
        "paie/paies/<int:pk>/fichier-bancaire.txt",
        views.run_bank_file_download,
        name="run_bank_file_download",
    ),
    path("paie/retours/", views.returns_import, name="returns_import"),
    path("paie/remises/", views.remittances, name="remittances"),
]
