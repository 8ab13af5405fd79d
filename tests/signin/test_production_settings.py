"""Production settings of the sign-in and HTTPS: the secret's length, HSTS, the proxy, and
``besa check --deploy`` clean on the documented production configuration
(docs/operations.md, "Production settings")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'besa.settings'; django.setup()"
BESA = str(Path(sys.executable).with_name("besa"))
SECRET = "k3Jx9-rT_qW2mZp8vL0aYc5nHbE7uGd4sF6iOe1wQ" + "Rt9Uy2Io4P"

#: The documented production configuration (docs/operations.md), minus the database.
PRODUCTION = {
    "BESA_SECRET_KEY": SECRET,
    "BESA_ALLOWED_HOSTS": "besa.example.gob.mx",
    "BESA_EMAIL_BACKEND": "smtp",
    "BESA_EMAIL_HOST": "smtp.example.gob.mx",
    "BESA_PROXY_SSL_HEADER": "1",
    "BESA_TRUSTED_PROXIES": "10.0.0.5",
    "BESA_HSTS_INCLUDE_SUBDOMAINS": "1",
}


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        env={**BASE, "BESA_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def _settings(env: dict[str, str], tmp_path: Path, *names: str) -> list[str]:
    code = (
        SETUP
        + "; from django.conf import settings as s; "
        + "; ".join(f"print(repr(getattr(s, {n!r}, None)))" for n in names)
    )
    result = _run([sys.executable, "-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("secret", ["x", "s" * 5, "test-only-secret", "a" * 49])
def test_a_secret_shorter_than_50_characters_is_refused(secret: str, tmp_path: Path) -> None:
    result = _run([BESA, "check"], {"BESA_SECRET_KEY": secret, "BESA_ALLOWED_HOSTS": "x"}, tmp_path)
    assert result.returncode == 2
    assert f"BESA_SECRET_KEY is {len(secret)} characters long" in result.stderr
    assert "Traceback" not in result.stderr


def test_hsts_and_the_proxy_are_configurable(tmp_path: Path) -> None:
    base = {"BESA_SECRET_KEY": SECRET, "BESA_ALLOWED_HOSTS": "x"}
    names = ("SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT")
    assert _settings(base, tmp_path, *names) == ["31536000", "None", "False"]
    assert _settings(
        base | {"BESA_HSTS_SECONDS": "600", "BESA_PROXY_SSL_HEADER": "1"}, tmp_path, *names
    ) == ["600", "('HTTP_X_FORWARDED_PROTO', 'https')", "True"]
    bad = _run([BESA, "check"], base | {"BESA_TRUSTED_PROXIES": "10.0.0.300"}, tmp_path)
    assert bad.returncode == 2 and "BESA_TRUSTED_PROXIES" in bad.stderr


def test_the_policy_allows_no_inline_script(tmp_path: Path) -> None:
    (policy,) = _settings(
        {"BESA_SECRET_KEY": SECRET, "BESA_ALLOWED_HOSTS": "x"}, tmp_path, "CONTENT_SECURITY_POLICY"
    )
    assert "'script-src': [\"'self'\"]" in policy


def test_check_deploy_is_clean_on_the_documented_production_configuration(
    tmp_path: Path,
) -> None:
    result = _run([BESA, "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"BESA_DEMO": "1"}, "besa.E101"),
        ({"BESA_TRUSTED_PROXIES": ""}, "besa.W102"),
        ({"BESA_EMAIL_BACKEND": ""}, "besa.E104"),
        ({"BESA_SESSION_IDLE_MINUTES": "1440"}, "besa.W106"),
        ({"BESA_HSTS_SECONDS": "0"}, "security.W004"),
        ({"BESA_SECURE_COOKIES": "0"}, "security.W012"),
    ],
)
def test_check_deploy_names_what_is_wrong(
    change: dict[str, str], named: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in (PRODUCTION | change).items() if v}
    result = _run([BESA, "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert named in result.stdout + result.stderr
