"""Audit pages, included from besa.urls under /auditorias/."""

from django.urls import path

from besa.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("abrir/", views.open_case_page, name="open"),
    path("programa/", views.plan_page, name="plan_new"),
    path("programa/<uuid:plan_id>/", views.plan_detail, name="plan"),
    path("casos/<uuid:case_id>/", views.case_page, name="case"),
    path("casos/<uuid:case_id>/paso/", views.case_act, name="act"),
    path("requerimientos/", views.request_list, name="requests"),
    path("requerimientos/<uuid:request_id>/", views.request_page, name="request"),
    path(
        "requerimientos/<uuid:request_id>/documentos/<str:sha256>/",
        views.request_document,
        name="request_document",
    ),
]
