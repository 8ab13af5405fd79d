"""Report pages, included from besa.urls under /informes/."""

from django.urls import path

from besa.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("correo/", views.subscription, name="subscription"),
    path("expediente/<uuid:contract_id>.pdf", views.contract_dossier, name="dossier"),
    path("expediente-publico/<uuid:contract_id>.pdf", views.public_dossier, name="public_dossier"),
    path("<slug:slug>/", views.report, name="report"),
    path("<slug:slug>.pdf", views.report_pdf, name="pdf"),
    path("<slug:slug>.xlsx", views.report_xlsx, name="xlsx"),
]
