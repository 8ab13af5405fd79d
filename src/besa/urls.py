"""URL map: web pages, the admin, language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from besa.api.app import api
from besa.web import recording, views

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
    path("alertas/", views.alert_list, name="alerts"),
    path("riesgo/", include("besa.risk.urls")),
    path("informes/", include("besa.reports.urls")),
    path("cuenta/entrar/", auth_views.LoginView.as_view(), name="login"),
    path("cuenta/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("datos-abiertos/", include("besa.opendata.urls")),
]
