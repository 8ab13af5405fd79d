"""Shared fixtures: a small two-institution registry and one persona per role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from hypothesis import settings as hypothesis_settings
from tests.signin_helpers import verify_second_factor
from tests.world import World, build_world

from besa.logbook import triggers

# Tests never reach the SAT: its status check (on by default in production, which the tests'
# settings are) is off unless a test turns it on with ``settings.BESA_SAT_CFDI_CHECK``. Set in
# the environment so that commands run in a subprocess inherit it.
os.environ.setdefault("BESA_SAT_CFDI_CHECK", "off")

# Property tests assert behaviour, not speed: Hypothesis's per-example deadline (200 ms) failed
# correct code on a loaded 2-core machine. Speed is measured in bench/.
hypothesis_settings.register_profile("besa", deadline=None)
hypothesis_settings.load_profile("besa")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    # Hashing speed is not under test; PBKDF2's deliberate slowness would dominate run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _force_login_is_full_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's one way to sign in "fully": ``client.force_login(user)`` also passes the
    second factor (``tests.signin.verify_second_factor``) for whoever needs one or has one,
    so tests of pages behind the sign-in need not know about it. Tests of the second factor
    itself sign in through the real forms (tests/signin/), which this does not touch."""
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _sessions_outlive_time_travel(settings: pytest.FixtureRequest) -> None:
    # Production sessions end after 30 idle minutes, and every request pushes the end forward
    # from the request's time: a request made while time-machine travels to 2025 would expire
    # the session for the next request in the present. The idle expiry's own tests set it back
    # (tests/signin/test_sessions.py).
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _own_checkpoint_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Each test publishes its checkpoints to a directory of its own: test databases start
    # from nothing, and a shared directory would hold another test's checkpoint 1.
    monkeypatch.setenv("BESA_CHECKPOINT_LOG", str(tmp_path_factory.mktemp("checkpoints")))


@pytest.fixture(autouse=True)
def _own_document_storage(
    settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Evidence documents (besa.documents) go to a directory of the test's own, never var/.
    location = str(tmp_path_factory.mktemp("documents"))
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _flushable_logbook(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests on committed transactions see the append-only triggers as production has them;
    they are dropped only at teardown, just before Django empties the tables (which the
    triggers rightly refuse). A test in a rolled-back transaction that follows one of those
    on the same worker gets them back inside its own transaction (so they vanish with it),
    whatever order the tests run in."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
            request.getfixturevalue("db")
            if triggers.missing(connection):
                triggers.create(connection)
        yield
        return
    request.getfixturevalue("transactional_db")
    triggers.create(connection)
    yield
    triggers.drop(connection)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def transactional_logbook(transactional_db: None) -> None:
    """A committed-transactions database (the triggers are handled by ``_flushable_logbook``)."""
