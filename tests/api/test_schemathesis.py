"""Schemathesis against the API's own OpenAPI document (issue 16): no request, however odd,
answers 5xx, and every answer is one the document declares (status code, content type, body
schema).

The API runs in-process through its WSGI application (no network, no server), on the test
database (SQLite, or PostgreSQL when ``BESA_DATABASE_URL`` points at one), on the small
``world`` plus a schedule and an alert, so that requests reach real contracts, entries and
alerts, not only 404s. Each role the API serves (the four personas by bearer token, and an
anonymous caller) gets every operation, with a bounded, derandomized number of examples
(``BESA_SCHEMATHESIS_EXAMPLES``, default ``EXAMPLES``) so a failure reproduces in CI. Path
parameters are often swapped for a real ocid, alert id, institution code or year drawn
from the world, and parameters for values at the ends of their type (``EDGES``). Each request
runs in a savepoint rolled back afterwards, so requests are independent. Hypothesis keeps no
example database (nothing is written to the repository). A large pass by hand:
``BESA_SCHEMATHESIS_EXAMPLES=40 pytest -s …`` prints the requests sent (docs/api.md,
"Fuzzing").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.alerts.conftest import at, schedule
from tests.world import World

from besa.alerts.models import Alert
from besa.alerts.sweep import sweep
from besa.api import tokens
from besa.api.app import api
from besa.logbook.actor import Actor
from besa.logbook.append import append

#: Examples per operation and caller in ``make test``: 24 operations × 5 callers × 6.
EXAMPLES = int(os.environ.get("BESA_SCHEMATHESIS_EXAMPLES", "6"))
ROLES = ["admin", "coordinator", "operator", "oversight", "anonymous"]
#: Values that broke APIs like this one before (issue 11, issue 16), by parameter type; a
#: parameter is given one of them in about a quarter of the requests, as generated values
#: rarely reach the ends of a type: integers past PostgreSQL's, NUL and other characters
#: databases refuse or treat specially, days at either end of the calendar or not in it.
EDGES: dict[str, list[Any]] = {
    "integer": [0, -1, 2**31, 2**63, -(2**63) - 1, 10**30],
    "date": ["0001-01-01", "9999-12-31", "2025-02-30", "10000-01-01"],
    "string": ["\x00", "ocds-\x00", "x" * 201, "%", "\\", "'", "2" * 40, "0x10"],
}


@pytest.fixture
def fuzz_world(world: World) -> dict[str, Any]:
    """The world, an A07 alert on A1 and B1, a bearer token per persona, and the values a
    path parameter may be swapped for."""
    for unit in ("A1", "B1"):
        append(
            world.contracts[unit],
            "deliverable_schedule",
            schedule("2025-08-15"),
            actor=Actor.of(world.admin),
            now=at("2025-06-12"),
            occurred_at=at("2025-06-12"),
        )
    sweep(at("2025-08-18", 9))
    now = timezone.now()
    bearer = {
        role: tokens.issue(getattr(world, role), "schemathesis", now)[1]
        for role in ROLES
        if role != "anonymous"
    }
    return {
        "bearer": bearer,
        "ocid": [c.ocid for c in world.contracts.values()],
        "alert_id": [str(a.pk) for a in Alert.objects.all()],
        "code": [world.inst_a.code, world.inst_b.code],
        "year": [2025, 2026],
        "kind": ["releases", "records"],
        "view": ["contracts", "entries", "payments", "alerts"],
    }


#: The API as schemathesis sees it: its document, read from the WSGI application itself.
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does: the
    WSGI handler would close it when each request ends (and, with it, the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.usefixtures("connection_kept")
def test_no_server_error_and_every_answer_as_documented(
    fuzz_world: dict[str, Any], role: str
) -> None:
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {fuzz_world['bearer'][role]}"
    failures = []
    sent: list[str] = []
    for operation in OPERATIONS:
        try:
            _fuzz(operation, fuzz_world, headers, sent)
        # Every operation runs; all failures are reported together. Schemathesis reports
        # failed checks as a ``BaseExceptionGroup``.
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label} as {role}: {_summary(exc)}")
    print(f"schemathesis as {role}: {len(sent)} requests")  # shown with -s (docs/api.md)
    assert not failures, "\n\n".join(failures)


def _fuzz(
    operation: Any, fuzz_world: dict[str, Any], headers: dict[str, str], sent: list[str]
) -> None:
    """``EXAMPLES`` requests to one operation, valid and invalid, half of them with path
    parameters taken from the world."""
    names = [p.name for p in operation.path_parameters]
    edges = {
        (p.location, p.name): EDGES[kind]
        for p in [*operation.path_parameters, *operation.query]
        if (kind := _kind(p.definition.get("schema", {}))) in EDGES
    }

    @given(data=st.data())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(data: Any) -> None:
        mode = data.draw(st.sampled_from(list(GenerationMode)), label="mode")
        fixed: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
        for name in names:
            if fuzz_world.get(name) and data.draw(st.booleans(), label=f"real {name}"):
                fixed["path"][name] = data.draw(st.sampled_from(fuzz_world[name]), label=name)
        for (location, name), values in edges.items():
            if data.draw(st.integers(0, 3), label=f"edge {name}") == 0:
                fixed[location][name] = data.draw(st.sampled_from(values), label=name)
        strategy = operation.as_strategy(
            mode, path_parameters=fixed["path"], query=fixed["query"] or None
        )
        case = data.draw(strategy, label="case")
        # Buffered: the WSGI iterable is closed once read, as a real server closes it (a
        # streamed file would otherwise stay open and warn).
        # Each request in a savepoint rolled back afterwards: requests are independent, and
        # a database error in one (a 500 found) cannot poison the next on PostgreSQL.
        sent.append(operation.label)
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS, buffered=True)
            finally:
                transaction.set_rollback(True)

    run()


def _summary(exc: BaseException) -> str:
    """The failure's first lines: what was wrong, the answer, and the request to repeat."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return "\n".join(lines[:14])


def _kind(schema: dict[str, Any]) -> str:
    """``integer``, ``date`` or ``string`` for a parameter's schema (a nullable one too)."""
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "integer":
            return "integer"
        if option.get("type") == "string":
            return "date" if option.get("format") == "date" else "string"
    return ""


def test_every_operation_declares_its_error_answers_with_the_one_error_schema() -> None:
    document = api.get_openapi_schema()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            errors = {int(code) for code in responses if int(code) >= 400}
            assert (401 in errors) == bool(operation.get("security")), (method, path)
            if "{" in path:
                assert 404 in errors, (method, path)
            if operation.get("requestBody"):
                assert {400, 413, 422} <= errors, (method, path)
            for code in errors:
                assert responses[str(code)]["content"]["application/json"]["schema"] == error
    append_entry = document["paths"]["/api/contracts/{ocid}/entries"]["post"]["responses"]
    assert {"403", "409"} <= set(append_entry)
