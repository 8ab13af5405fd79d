"""Fixtures for browser tests: a seeded live server and Debian's chromium driven by Playwright.

- ``chromium_path`` (session): Debian's chromium. Missing, it is an error when ``CI`` is set
  (``.ci/run`` installs it, and a suite that skips its browser tests proves nothing); outside
  CI the browser tests are skipped with the reason.
- ``browser`` (module): one chromium per test module (``playwright.sync_api.Browser``).
- ``site`` (module): a live server on a small committed demo (``besa.demo.seed.load`` with
  ``SITE_CONTRACTS`` contracts, ``TODAY`` fixed, its alerts evaluated and its risk scored as
  ``besa demo`` does), with the demo accounts of ``tests.e2e.browser.ROLES``. ``site.url`` is
  the base URL; ``site.summary`` the seed's summary. Flushed at the end of the module.
- ``page_for`` (function): ``page_for(role, language="es")`` opens a fresh browser context,
  signs in as ``role`` (``citizen``: nobody) and switches the language with the ES/EN buttons
  when ``language`` is not Spanish; the contexts are closed at the end of the test.

Helpers for the pages themselves (``login``, ``switch_language``, ``screenshot``) are in
``tests/e2e/browser.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import connection, connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from tests.e2e.browser import CHROMIUM_ARGS, ROLES, account, chromium, login, switch_language

from besa.demo import seed
from besa.logbook import triggers
from besa.registry.models import Contract, User
from besa.risk.portfolio import Scope, run_portfolio

# Playwright's sync API runs an event loop in the test's thread; Django then refuses ORM calls
# from that thread (SynchronousOnlyOperation) although nothing runs concurrently in it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: The demo's "today" for browser tests: every date on the pages follows from it.
TODAY = dt.date(2026, 11, 20)
#: Enough contracts for every demo account to have some in scope and most defects to appear.
SITE_CONTRACTS = 150


class _OneRequestAtATime(WSGIServer):
    """Serves each request in the server thread itself, one after the other, on the test's
    own connection when the test database is in-memory SQLite (``shared``, refreshed for
    each test: a connection of its own would be a second client of the shared in-memory
    database, locked out by the test's open transaction — "database table is locked")."""

    shared: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        for alias, conn in self.shared.items():
            connections[alias] = conn
        super().process_request(request, client_address)


class _ServerThread(LiveServerThread):
    server_class = _OneRequestAtATime


def _share_connections() -> None:
    """Hand this thread's in-memory SQLite connections to the server (no-op on PostgreSQL)."""
    for conn in _OneRequestAtATime.shared.values():
        conn.dec_thread_sharing()
    _OneRequestAtATime.shared = {
        c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
    }
    for conn in _OneRequestAtATime.shared.values():
        conn.inc_thread_sharing()


def _start_server() -> _ServerThread:
    _share_connections()
    thread = _ServerThread("localhost", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread


def _stop_server(thread: _ServerThread) -> None:
    thread.terminate()
    for conn in _OneRequestAtATime.shared.values():
        conn.dec_thread_sharing()
    _OneRequestAtATime.shared = {}


@dataclass(frozen=True)
class Site:
    url: str
    summary: seed.Summary
    #: Per role, the (ocid, id) of the contracts with seeded defects it may see (read here:
    #: see the README on ORM queries in a test's body).
    defective: dict[str, list[tuple[str, str]]]

    def __call__(self, path: str) -> str:
        """The absolute URL of ``path`` (``site("/contratos/")``)."""
        return self.url.rstrip("/") + "/" + path.lstrip("/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the live ``site`` is a database test (so that pytest-django creates the test
    database), each in a transaction of its own: on SQLite the live server shares the test's
    connection and its writes are rolled back with the test; on PostgreSQL they commit and
    last until the module's flush."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = chromium()
    if found is None:
        message = "Debian's chromium is not installed (/usr/bin/chromium): apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {message}", pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=list(CHROMIUM_ARGS))
        try:
            yield launched
        finally:
            # While Playwright's loop runs in this thread, asgiref gives Django's connections
            # per context, not per thread: the tests' connections are not the ones pytest-django
            # closes. Closed here, or PostgreSQL refuses to drop the test database.
            connections.close_all()
            launched.close()


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    # The live server's threads read committed rows (their own connections on PostgreSQL, the
    # shared connection on in-memory SQLite): the demo is committed, and flushed at the end.
    # MD5 passwords, as for every test (tests/conftest.py): the demo accounts sign in often.
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    hashers.enable()
    server = None
    try:
        with django_db_blocker.unblock():
            triggers.create(connection)  # the logbook is append-only, as in production
            summary = seed.load(seed=seed.DEFAULT_SEED, today=TODAY, n_contracts=SITE_CONTRACTS)
            run_portfolio(Scope(), as_of=TODAY)
            defective = {role: _defective(summary, role) for role in ROLES}
        server = _start_server()
        yield Site(f"http://localhost:{server.port}", summary, defective)
    finally:
        if server is not None:
            _stop_server(server)
        with django_db_blocker.unblock():
            triggers.drop(connection)
            call_command("flush", interactive=False, verbosity=0)
        hashers.disable()


def _defective(summary: seed.Summary, role: str) -> list[tuple[str, str]]:
    if role == "citizen":
        return []
    user = User.objects.get(username=account(role).username)
    visible = Contract.objects.visible_to(user).filter(ocid__in=list(summary.defects))
    ids = dict(visible.values_list("ocid", "id"))
    return [(ocid, str(ids[ocid])) for ocid in summary.defects if ocid in ids]


@pytest.fixture
def page_for(site: Site, browser: Any) -> Iterator[Callable[..., Any]]:
    _share_connections()  # the test's transaction (tests on ``site`` are ``django_db``)
    contexts: list[Any] = []

    def open_page(role: str, language: str = "es") -> Any:
        context = browser.new_context(accept_downloads=True, locale="es-MX")
        contexts.append(context)
        page = context.new_page()
        login(page, site.url, role)
        if language != "es":
            switch_language(page, language)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """End, once the browser tests of this worker are over (just before the test database is
    dropped), any PostgreSQL session they left on it. Not after each module: the next module's
    own idle connection would be ended too (seen in CI: "terminating connection due to
    administrator command" at the next test's set-up).

    A browser module's own ORM reads run while Playwright's loop runs in the test's thread,
    where Django keys connections by asyncio context: a module that does not close them inside
    that context (as ``browser`` above does) leaves a session that nothing can reach, and the
    test database can then not be dropped at the end of the run (seen in CI on PostgreSQL)."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
