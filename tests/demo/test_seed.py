"""The demo data set: realistic, valid, deterministic, with execution histories and alerts.

The full demo (2,000 contracts) is loaded once for this module and rolled back at its end;
the checks that only need the mechanism use a small demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command
from django.db import transaction
from tests.demo_world import rolled_back_demo

from besa.alerts.models import ACTIVE_STATES, Alert
from besa.demo import seed
from besa.logbook.models import Entry
from besa.logbook.rebuild import rebuild
from besa.logbook.verify import verify
from besa.ocds.schema import merger, validate_record_package, validate_release_package
from besa.registry.models import Contract, Role, Supplier, User
from besa.registry.terms import check_contract
from besa.registry.validation import check_rfc
from besa.rules import CATALOGUE

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[seed.Summary]:
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        rolled_back_demo(TODAY) as summary,
    ):
        yield summary


@pytest.fixture(scope="module")
def exported(
    demo: seed.Summary,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("export")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("export", "ocds", "--records", "--out", str(out / "records.json"))
        call_command("export", "ocds", "--releases", "--out", str(out / "releases.json"))
    return (
        orjson.loads((out / "records.json").read_bytes()),
        orjson.loads((out / "releases.json").read_bytes()),
    )


@pytest.fixture
def in_demo(demo: seed.Summary, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield


def test_the_demo_has_the_promised_size(demo: seed.Summary, in_demo: None) -> None:
    assert (demo.institutions, demo.buying_units, demo.suppliers, demo.contracts) == (
        30, 120, 400, 2000,
    )  # fmt: skip
    assert "2000 contratos" in demo.describe()
    assert Contract.objects.count() == 2000
    assert Entry.objects.count() == demo.entries > 10 * 2000
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}


def test_every_demo_supplier_has_a_valid_rfc(in_demo: None) -> None:
    for supplier in Supplier.objects.all():
        assert check_rfc(supplier.rfc, strict=True).rfc == supplier.rfc


def test_every_demo_contract_passes_registration_checks(in_demo: None) -> None:
    for contract in Contract.objects.all()[:300]:
        check_contract(contract)


def test_the_demo_spans_three_years_two_regimes_and_three_currencies(in_demo: None) -> None:
    dates = Contract.objects.values_list("signing_date", flat=True)
    assert min(dates) >= TODAY - dt.timedelta(days=3 * 365)
    assert set(Contract.objects.values_list("regime", flat=True)) == {"LAASSP-2000", "LAASSP-2025"}
    assert set(Contract.objects.values_list("currency", flat=True)) == {"MXN", "USD", "EUR"}


def test_the_demo_operator_sees_only_its_two_buying_units(in_demo: None) -> None:
    operator = User.objects.get(username="operador")
    visible = Contract.objects.visible_to(operator)
    assert 0 < visible.count() < Contract.objects.count()
    assert set(visible.values_list("buying_unit", flat=True)) <= set(
        operator.buying_units.values_list("id", flat=True)
    )


def test_the_demo_logbook_verifies_and_rebuilds_to_the_live_projections(in_demo: None) -> None:
    assert verify().intact
    assert rebuild(write=False).changed == []


def test_every_rule_fires_on_the_demo_and_clean_contracts_raise_none(
    demo: seed.Summary, in_demo: None
) -> None:
    fired = set(Alert.objects.values_list("rule", flat=True))
    assert sorted(set(CATALOGUE) - fired) == []
    clean = Contract.objects.exclude(ocid__in=list(demo.defects))
    noisy = Alert.objects.filter(contract__in=clean, state__in=ACTIVE_STATES)
    assert list(noisy.values_list("rule", "ocid", "subject")[:10]) == []


def test_the_demo_has_audit_work_for_oversight_and_the_operator(in_demo: None) -> None:
    from besa.audits.models import AuditCase, CaseState, InfoRequest, Outcome
    from besa.complaints.models import Complaint, ComplaintState

    operator = User.objects.get(username="operador")
    oversight = User.objects.get(username="fiscalizador")
    assert set(AuditCase.objects.visible_to(oversight).values_list("state", flat=True)) == {
        CaseState.ACTIVE,
        CaseState.CLOSED,
    }
    assert AuditCase.objects.get(state=CaseState.CLOSED).outcome == Outcome.ELIMINATED
    waiting = InfoRequest.objects.addressed_to(operator).get()
    assert waiting.answered_at is None and waiting.due_on < TODAY
    late = Alert.objects.get(rule="A26")
    assert late.subject == f"audit_request:{waiting.id}" and late.state in ACTIVE_STATES
    assert Complaint.objects.visible_to(oversight).get().state == ComplaintState.RECEIVED
    # the active case: opened, activated, the request; the closed one: opened, activated, the
    # finding, findings reported, remediation opened, the verdict, resolved, closed
    assert Entry.objects.filter(kind__startswith="audit_").count() == 3 + 8


def test_the_demo_records_and_releases_validate_against_ocds_1_1_5(
    exported: tuple[dict, dict],  # type: ignore[type-arg]
) -> None:
    records, releases = exported
    assert len(records["records"]) == 2000
    assert validate_record_package(records) == []
    assert len(releases["releases"]) == sum(len(r["releases"]) for r in records["records"])
    assert validate_release_package(releases) == []


def test_ocdsmerge_of_our_releases_reproduces_our_compiled_releases(
    exported: tuple[dict, dict],  # type: ignore[type-arg]
) -> None:
    records, _ = exported
    for record in records["records"]:
        assert merger().create_compiled_release(record["releases"]) == record["compiledRelease"]


def test_the_same_seed_gives_the_same_data(db: None) -> None:
    def load_and_read() -> list[tuple[object, ...]]:
        with transaction.atomic():
            seed.load(seed=7, today=TODAY, n_contracts=60)
            rows = sorted(Entry.objects.values_list("ocid", "sequence", "kind", "payload"))
            transaction.set_rollback(True)  # the logbook is append-only: roll back instead
        return rows

    first = load_and_read()
    assert len(first) > 60
    assert load_and_read() == first


def test_an_export_never_leaves_a_partial_file(tmp_path: Path, db: None) -> None:
    call_command("export", "ocds", "--releases", "--out", str(tmp_path / "r.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
