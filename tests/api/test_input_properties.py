"""Property tests (issue 11): whatever dates, numbers and strings a client sends to the append
endpoint and the list endpoints, BESA answers with a 2xx or a 4xx, never a 500, and every
entry it accepts leaves its contract's page rendering. On PostgreSQL too when
``BESA_DATABASE_URL`` points at one (NUL characters behave differently there).

Examples are few and small so that each test runs in seconds; the strategies lean on the
edges (year 1 and 9999, 2^63, control characters) rather than on volume.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.world import World

#: Each property runs this many examples (with the database, one is tens of milliseconds).
EXAMPLES = 60
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: What a refusal may answer; a 500 (or an exception through the test client) never.
REFUSED = {403, 404, 409, 422}

# Hypothesis' default text has no surrogates; a JSON body may still carry one ("\ud800").
texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "\t\n", " ", "", "x" * 600]),
)
days = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.dates(dt.date(2025, 6, 10), dt.date(2026, 6, 30)).map(dt.date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2025-02-30", "20250701", "2025-07-01T00:00"]),
)
numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.sampled_from(["1E+400", "NaN", "-0", "1000.00", str(2**63), True]),
)
zones = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(dt.timedelta(hours=-12))]
)
moments = st.one_of(
    st.none(),
    st.sampled_from(["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "2025-07-01"]),
    st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=zones
    ).map(dt.datetime.isoformat),
    texts,
)
values = st.one_of(texts, days, numbers, st.none())


def mostly(
    sensible: st.SearchStrategy[Any], wild: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """``sensible`` three times in four, so that some whole entries get through."""
    return st.one_of(sensible, sensible, sensible, wild)


def bodies() -> st.SearchStrategy[dict[str, Any]]:
    """Entries of a few kinds whose fields are each a date, a number or a string, sensible
    or not, plus now and then a field that does not exist."""
    day = mostly(st.dates(dt.date(2025, 6, 10), dt.date(2026, 6, 30)).map(str), days)
    amount = mostly(st.decimals(1, 10**9, places=2).map(str), numbers)
    text = mostly(st.text(st.characters(codec="utf-8"), min_size=1, max_size=20), texts)
    payment = st.fixed_dictionaries(
        {"date": day, "amount": amount, "currency": mostly(st.just("MXN"), texts)},
        optional={"clc_folio": text, "surprise": values},
    )
    deduction = st.fixed_dictionaries(
        {"description": text, "amount": amount, "date": day}, optional={"percent": numbers}
    )
    deliverable = st.fixed_dictionaries(
        {"deliverable_id": text, "description": text, "quantity": amount, "amount": amount,
         "due_date": mostly(st.dates(dt.date(2025, 6, 10), dt.date(2050, 1, 1)).map(str), days)},
    )  # fmt: skip
    schedule = st.fixed_dictionaries({"deliverables": st.lists(deliverable, max_size=2)})
    kinds_and_payloads = st.one_of(
        st.tuples(st.just("payment"), payment),
        st.tuples(st.just("deduction"), deduction),
        st.tuples(st.just("deliverable_schedule"), schedule),
        st.tuples(texts, st.dictionaries(texts, values, max_size=2)),
    )
    return st.builds(
        lambda kind_payload, occurred_at, key: {
            "kind": kind_payload[0],
            "payload": kind_payload[1],
            **({"occurred_at": occurred_at} if occurred_at is not None else {}),
            **({"idempotency_key": key} if key is not None else {}),
        },
        kinds_and_payloads,
        mostly(st.none(), moments),
        mostly(st.none(), texts),
    )


PAYMENT = {"date": "2025-07-01", "amount": "1000.00", "currency": "MXN"}


def _schedule_due(day: str) -> dict[str, Any]:
    deliverable = {"deliverable_id": "D1", "description": "Entrega", "quantity": "1",
                   "amount": "10.00", "due_date": day}  # fmt: skip
    return {"kind": "deliverable_schedule", "payload": {"deliverables": [deliverable]}}


def _json(body: dict[str, Any]) -> str:
    # Floats such as nan and inf have no JSON spelling; send them as Python's json does.
    return json.dumps(body, default=str)


def test_any_entry_a_client_posts_is_accepted_or_refused_but_never_breaks_a_page(
    client: Client, world: World
) -> None:
    client.force_login(world.admin)
    contract = world.contracts["A1"]
    url = f"/api/contracts/{contract.ocid}/entries"
    accepted: list[str] = []

    @BOUNDED
    @given(body=bodies())
    # The edges the review found (issue 11), always tried besides the random examples.
    @example(body={"kind": "payment", "payload": PAYMENT, "occurred_at": "0001-01-01T00:00:00Z"})
    @example(body={"kind": "payment", "payload": {**PAYMENT, "date": "9999-12-31"}})
    @example(body={"kind": "payment", "payload": {**PAYMENT, "clc_folio": "CLC\x00 1"}})
    @example(body=_schedule_due("9999-12-31"))
    @example(body={"kind": "payment", "payload": PAYMENT, "idempotency_key": "k\x00"})
    def post_any(body: dict[str, Any]) -> None:
        response = client.post(url, _json(body), content_type="application/json")
        assert response.status_code in REFUSED | {200, 201}, (body, response.content)
        if response.status_code == 201:
            accepted.append(response.json()["kind"])
            page = client.get(f"/contratos/{contract.pk}/")
            assert page.status_code == 200, body

    post_any()

    # The property is only meaningful if some examples got through.
    assert accepted, "no example was accepted: the strategies are too wild"


def test_any_query_on_the_list_endpoints_answers_200_or_422(client: Client, world: World) -> None:
    client.force_login(world.admin)
    endpoints = [
        "/api/contracts",
        "/api/entries",
        "/api/alerts",
        f"/api/contracts/{world.contracts['A1'].ocid}/entries",
    ]
    filters = ["institution", "buying_unit", "supplier", "status", "ocid", "kind", "rule",
               "state", "signed_since", "signed_until", "recorded_since", "recorded_until",
               "opened_since", "opened_until"]  # fmt: skip
    answered: set[int] = set()

    @BOUNDED
    @given(
        endpoint=st.sampled_from(endpoints),
        limit=st.one_of(st.none(), numbers),
        offset=st.one_of(st.none(), numbers),
        params=st.dictionaries(
            st.sampled_from(filters), st.one_of(texts, days, numbers), max_size=3
        ),
    )
    @example(endpoint=endpoints[0], limit=None, offset=2**63, params={})
    @example(endpoint=endpoints[1], limit=2**64, offset=None, params={"kind": "a\x00"})
    @example(
        endpoint=endpoints[1], limit=None, offset=None, params={"recorded_until": "9999-12-31"}
    )
    @example(endpoint=endpoints[2], limit=None, offset=-1, params={"opened_until": "9999-12-31"})
    @example(endpoint=endpoints[3], limit=None, offset=2**63 - 1, params={})
    def query_any(endpoint: str, limit: Any, offset: Any, params: dict[str, Any]) -> None:
        query = {**params, "limit": limit, "offset": offset}
        sent = {name: str(v) for name, v in query.items() if v is not None}
        # A lone surrogate cannot travel in a URL at all; the client would refuse to send it.
        sent = {n: v for n, v in sent.items() if not any("\ud800" <= c <= "\udfff" for c in v)}
        response = client.get(endpoint, sent)
        assert response.status_code in {200, 422}, (endpoint, sent, response.content)
        answered.add(response.status_code)

    query_any()

    assert answered == {200, 422}
