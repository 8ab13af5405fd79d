"""URL map: web pages, the admin, language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from besa.accesslog import views as accesslog_views
from besa.api.app import api
from besa.web import alerts, dashboard, documents, errors, exports, gaps, jobs, recording, views

urlpatterns = [
    path("", views.home, name="home"),
    path("contratos/", views.contract_list, name="contracts"),
    path("contratos/registrar/", recording.register_contract_page, name="register_contract"),
    path("contratos/<uuid:contract_id>/", views.contract_detail, name="contract"),
    path(
        "contratos/<uuid:contract_id>/registrar/<slug:kind>/",
        recording.record_entry,
        name="record_entry",
    ),
    path(
        "contratos/<uuid:contract_id>/asientos/<uuid:entry_id>/",
        recording.entry_receipt,
        name="entry_receipt",
    ),
    path("contratos/<uuid:contract_id>/cfdi/", views.contract_cfdi_upload, name="contract_cfdi"),
    path("contratos/<uuid:contract_id>/documentos/", documents.attach, name="contract_attach"),
    path(
        "contratos/<uuid:contract_id>/documentos/<str:sha256>/",
        documents.download,
        name="contract_document",
    ),
    path(
        "contratos/<uuid:contract_id>/documentos/<str:sha256>/publicar/",
        documents.publish,
        name="contract_document_publish",
    ),
    path("trabajos/", jobs.job_list, name="jobs"),
    path("trabajos/importar/", jobs.start_import, name="job_import"),
    path("trabajos/exportar/", jobs.start_export, name="job_export"),
    path("trabajos/<uuid:job_id>/", jobs.job_detail, name="job"),
    path("trabajos/<uuid:job_id>/resultado/", jobs.job_result, name="job_result"),
    path("alertas/", alerts.alert_list, name="alerts"),
    path("alertas/acciones/", alerts.alert_bulk, name="alerts_bulk"),
    path("alertas/exportar/<str:fmt>/", exports.alerts_export, name="alerts_export"),
    path("alertas/<uuid:alert_id>/", alerts.alert_detail, name="alert"),
    path("alertas/<uuid:alert_id>/accion/", alerts.alert_act, name="alert_act"),
    path(
        "alertas/<uuid:alert_id>/documentos/<str:sha256>/",
        alerts.alert_document,
        name="alert_document",
    ),
    path("tablero/", dashboard.dashboard, name="dashboard"),
    path("mi-trabajo/", alerts.my_work, name="my_work"),
    path("inicio/", alerts.landing, name="landing"),
    path("datos-faltantes/", gaps.data_gaps, name="data_gaps"),
    path("conciliacion/", gaps.reconciliation_view, name="reconciliation"),
    path(
        "contratos/<uuid:contract_id>/confirmar-registro/",
        gaps.confirm_registration,
        name="confirm_registration",
    ),
    path("riesgo/", include("besa.risk.urls")),
    path("informes/", include("besa.reports.urls")),
    path("auditorias/", include("besa.audits.urls")),
    path("cuenta/entrar/", auth_views.LoginView.as_view(), name="login"),
    path("cuenta/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("cuenta/segundo-factor/", include("besa.signin.urls")),
    path("registro-de-accesos/", accesslog_views.access_log, name="access_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("datos-abiertos/", include("besa.opendata.urls")),
    path("publico/", include("besa.portal.urls")),
    path("", include("besa.complaints.urls")),
]

# Branded, translated error pages that say what the person can do (besa.web.errors).
handler400 = errors.bad_request
handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
