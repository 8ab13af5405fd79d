"""URLs of the public open-data page (the downloads themselves are API endpoints)."""

from django.urls import path

from besa.opendata import views

urlpatterns = [path("", views.open_data, name="open_data")]
