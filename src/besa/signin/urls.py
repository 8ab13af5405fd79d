"""Sign-in pages under /cuenta/segundo-factor/ (the password form is Django's LoginView)."""

from django.urls import path

from besa.signin import views

app_name = "signin"

urlpatterns = [
    path("", views.security, name="security"),
    path("verificar/", views.verify, name="verify"),
    path("alta/", views.enrol, name="enrol"),
    path("codigos/", views.recovery_codes, name="recovery_codes"),
]
