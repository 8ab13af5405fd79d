"""Risk pages, included from besa.urls under /riesgo/."""

from django.urls import path

from besa.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("red/", views.network, name="network"),
    path("contratos/<path:ocid>/", views.contract, name="contract"),
]
