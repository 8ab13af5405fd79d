"""The citizens' portal, included from besa.urls under /publico/ (no login anywhere)."""

from django.urls import path

from besa.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("contratos/<uuid:contract_id>/", views.contract_page, name="contract"),
    path(
        "contratos/<uuid:contract_id>/documentos/<str:sha256>/",
        views.document,
        name="document",
    ),
    path("contratos/<uuid:contract_id>/registro.json", views.record_json, name="record"),
    path("contratos/<uuid:contract_id>/ocds.json", views.ocds_json, name="ocds"),
    path("contratos/<uuid:contract_id>/asientos.csv", views.entries_csv, name="entries_csv"),
    path("verificador.py", views.verifier, name="verifier"),
]
