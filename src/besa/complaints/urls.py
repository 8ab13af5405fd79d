"""Citizen reports: the public pages under /publico/ (no login), the inbox under /denuncias/."""

from django.urls import path

from besa.complaints import views

app_name = "complaints"
urlpatterns = [
    path("publico/contratos/<uuid:contract_id>/denunciar/", views.report, name="report"),
    path("publico/denuncias/seguimiento/", views.follow_up, name="follow_up"),
    path("denuncias/", views.inbox, name="inbox"),
    path("denuncias/<int:complaint_id>/", views.detail, name="detail"),
    path("denuncias/<int:complaint_id>/decidir/", views.decide, name="decide"),
    path(
        "denuncias/<int:complaint_id>/documentos/<str:sha256>/",
        views.document,
        name="document",
    ),
]
