"""Production settings come from the environment; a missing one stops start-up by name."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

BASE = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'besa.settings'; django.setup()"


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP,
        ],
        env={**BASE, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "BESA_SECRET_KEY"),
        ({"BESA_SECRET_KEY": "s" * 50}, "BESA_ALLOWED_HOSTS"),
        (
            {
                "BESA_SECRET_KEY": "s" * 50,
                "BESA_ALLOWED_HOSTS": "x",
                "BESA_DATABASE_URL": "mysql://x/y",
            },
            "BESA_DATABASE_URL",
        ),
        (
            {
                "BESA_SECRET_KEY": "s" * 50,
                "BESA_ALLOWED_HOSTS": "x",
                "BESA_JURISDICTION": "mx-atlantis",
            },
            "mx-atlantis",
        ),
    ],
)
def test_a_missing_or_bad_production_setting_stops_start_up_naming_it(
    env: dict[str, str], named: str
) -> None:
    result = _start(env)
    assert result.returncode != 0
    assert named in result.stderr


def test_complete_production_settings_start_with_debug_off(tmp_path: object) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP + "; from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE)",
        ],
        env={**BASE, "BESA_SECRET_KEY": "s" * 50, "BESA_ALLOWED_HOSTS": "besa.example.gob.mx"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_smtp_login_and_tls_come_from_the_environment() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP + "; from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
            "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)",
        ],
        env={
            **BASE,
            "BESA_SECRET_KEY": "s" * 50,
            "BESA_ALLOWED_HOSTS": "besa.example.gob.mx",
            "BESA_EMAIL_BACKEND": "smtp",
            "BESA_EMAIL_HOST": "smtp.example.gob.mx",
            "BESA_EMAIL_PORT": "587",
            "BESA_EMAIL_HOST_USER": "alertas@example.gob.mx",
            "BESA_EMAIL_HOST_PASSWORD": "app-password",
            "BESA_EMAIL_USE_TLS": "true",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.gob.mx",
        "587",
        "alertas@example.gob.mx",
        "app-password",
        "True",
        "False",
    ]
