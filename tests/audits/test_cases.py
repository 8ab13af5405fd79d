"""Audit cases: opening, the dialogue with deadlines (alert A26 at the first sweep after the
deadline), findings, resolution, scoping, and the steps in every contract's logbook."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from tests.world import World

from besa.alerts.models import Alert, AlertState
from besa.alerts.sweep import sweep
from besa.audits import cases
from besa.audits.models import AuditCase, CaseState, InfoRequest
from besa.exceptions import InvalidInput, PermissionDenied
from besa.jurisdiction import from_env
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.disclosure import COMMITMENT, hashed_form
from besa.logbook.models import Entry
from besa.rules.audits import answer_due_on

MX = ZoneInfo("America/Mexico_City")


def at(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=MX)


def _open(world: World, *codes: str, now: dt.datetime | None = None) -> AuditCase:
    return cases.open_case(
        opened_by=world.oversight,
        institution=world.inst_a,
        contracts=[world.contracts[c] for c in codes or ("A1",)],
        source="alert",
        source_reference="A07 deliverable:D1",
        title="Entregas atrasadas de medicamentos",
        reason="Alerta A07 sin justificación",
        now=now or at("2025-11-03"),
    )


def _ask(
    world: World, case: AuditCase, subject: str, *, days: int, sent: dt.datetime, unit: str = "A1"
) -> InfoRequest:
    """Oversight asks ``unit`` for ``subject`` on ``sent``, to be answered in ``days``."""
    return cases.send_request(
        case,
        by=world.oversight,
        buying_unit=world.units[unit],
        subject=subject,
        body=f"Envíe: {subject}",
        business_days=days,
        now=sent,
    )


def _active(world: World, *codes: str) -> AuditCase:
    case = _open(world, *codes)
    return cases.take_step(case, "activate", by=world.oversight, now=at("2025-11-03", 13))


@pytest.mark.parametrize(
    ("sent_on", "days", "due_on"),
    [
        ("2025-11-12", 1, "2025-11-13"),  # Wed → Thu: the day of sending does not count
        ("2025-11-14", 1, "2025-11-18"),  # Fri → over the weekend and Mon 17 (Revolución)
        ("2025-11-14", 2, "2025-11-19"),
        ("2025-11-15", 1, "2025-11-18"),  # sent on a Saturday: counts from the next business day
        ("2025-12-10", 5, "2025-12-18"),  # Fri 12 (Guadalupe) is not a business day
        ("2025-04-16", 3, "2025-04-23"),  # Holy Thursday and Good Friday, then the weekend
        ("2025-12-22", 3, "2025-12-26"),  # Thu 25 (Navidad)
    ],
)
def test_the_answer_deadline_counts_business_days_on_the_jurisdictions_calendar(
    sent_on: str, days: int, due_on: str
) -> None:
    calendar = from_env().calendar
    due = answer_due_on(calendar, dt.date.fromisoformat(sent_on), days)
    assert due == dt.date.fromisoformat(due_on)


def test_opening_a_case_records_it_in_every_contracts_logbook(world: World) -> None:
    case = _open(world, "A1", "A2")
    assert case.state == CaseState.DRAFT and case.number.startswith("AUD-2025-")
    assert list(case.auditors.all()) == [world.oversight]
    for code in ("A1", "A2"):
        entry = Entry.objects.filter(contract=world.contracts[code]).order_by("-sequence")[0]
        assert entry.kind == "audit_opened"
        assert entry.payload["case"] == str(case.id) and entry.payload["source"] == "alert"


def test_a_case_cannot_mix_institutions_nor_be_opened_outside_oversight(world: World) -> None:
    before = Entry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        cases.open_case(
            opened_by=world.oversight,
            institution=world.inst_a,
            contracts=[world.contracts["A1"], world.contracts["B1"]],
            source="manual",
            source_reference="",
            title="x",
            reason="y",
        )
    assert refused.value.field == "contracts"
    with pytest.raises(PermissionDenied):
        cases.open_case(
            opened_by=world.oversight,
            institution=world.inst_b,
            contracts=[world.contracts["B1"]],
            source="manual",
            source_reference="",
            title="x",
            reason="y",
        )
    with pytest.raises(InvalidInput) as bad_source:
        cases.open_case(
            opened_by=world.oversight,
            institution=world.inst_a,
            contracts=[world.contracts["A1"]],
            source="rumour",
            source_reference="",
            title="x",
            reason="y",
        )
    assert bad_source.value.field == "source"
    assert Entry.objects.count() == before and not AuditCase.objects.exists()


def test_an_unanswered_request_raises_its_alert_at_the_first_sweep_after_the_deadline(
    world: World,
) -> None:
    case = _active(world)
    request = _ask(world, case, "Actas de entrega", days=2, sent=at("2025-11-14", 10))
    assert request.due_on == dt.date(2025, 11, 19)
    sweep(at("2025-11-19", 23, 59))  # the last day to answer: not late yet
    assert not Alert.objects.filter(rule="A26").exists()
    sweep(at("2025-11-20", 0, 5))  # the first sweep of the day after
    alert = Alert.objects.get(rule="A26")
    assert alert.subject == f"audit_request:{request.id}" and alert.state == AlertState.OPEN
    assert alert.evidence["due_on"] == "2025-11-19"
    assert alert.contract == world.contracts["A1"]
    assert alert.escalate_at is not None  # escalates like every alert if left unattended


def test_an_answer_closes_the_alert_as_corrected_and_a_timely_one_raises_none(
    world: World,
) -> None:
    case = _active(world)
    late = _ask(world, case, "Actas", days=1, sent=at("2025-11-12", 10))
    sweep(at("2025-11-14", 9))
    assert Alert.objects.get(rule="A26").state == AlertState.OPEN
    cases.answer_request(late, by=world.operator, answer="Se anexan", now=at("2025-11-14", 10))
    assert Alert.objects.get(rule="A26").state == AlertState.CORRECTED
    timely = _ask(world, case, "Facturas", days=1, sent=at("2025-11-18", 10))
    cases.answer_request(timely, by=world.coordinator, answer="Listo", now=at("2025-11-19", 18))
    sweep(at("2025-11-25", 9))
    assert Alert.objects.filter(rule="A26").count() == 1


def test_only_the_addressed_unit_answers_and_only_once(world: World) -> None:
    case = _active(world, "A1", "A2")
    request = _ask(world, case, "Actas", days=3, sent=at("2025-11-12", 10), unit="A2")
    assert list(InfoRequest.objects.addressed_to(world.operator)) == []  # the operator is A1's
    assert list(InfoRequest.objects.addressed_to(world.coordinator)) == [request]
    with pytest.raises(PermissionDenied):
        cases.answer_request(request, by=world.operator, answer="x")
    with pytest.raises(InvalidInput) as empty:
        cases.answer_request(request, by=world.coordinator, answer="  ")
    assert empty.value.field == "answer"
    cases.answer_request(request, by=world.coordinator, answer="Anexo actas")
    with pytest.raises(InvalidInput):
        cases.answer_request(request, by=world.coordinator, answer="otra vez")
    # only A2's logbook hears of it
    a1 = Entry.objects.filter(contract=world.contracts["A1"], kind__startswith="audit_request")
    a2 = Entry.objects.filter(contract=world.contracts["A2"], kind="audit_answer")
    assert not a1.exists() and a2.count() == 1


def test_a_case_from_findings_to_closure_as_eliminated_verifies(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _active(world)
    with pytest.raises(InvalidInput):
        cases.take_step(case, "report_findings", by=world.oversight)
    finding = cases.record_finding(
        case,
        by=world.oversight,
        title="Pena no aplicada",
        description="La entrega D1 llegó 20 días tarde sin pena",
        legal_basis="LAASSP art. 53",
        amount_at_stake="125000.50",
    )
    cases.take_step(case, "report_findings", by=world.oversight)
    with pytest.raises(InvalidInput) as past:
        cases.take_step(
            case, "open_remediation", by=world.oversight, remediation_until=dt.date(2020, 1, 1)
        )
    assert past.value.field == "remediation_until"
    today = dt.datetime.now(MX).date()
    cases.take_step(
        case,
        "open_remediation",
        by=world.oversight,
        remediation_until=today + dt.timedelta(days=15),
    )
    cases.set_verdict(
        finding, by=world.oversight, verdict="eliminated", amount_recovered="125000.50"
    )
    cases.take_step(case, "resolve", by=world.oversight, outcome="eliminated")
    case = cases.take_step(case, "close", by=world.oversight)
    assert case.state == CaseState.CLOSED and case.outcome == "eliminated"
    kinds = list(
        Entry.objects.filter(contract=world.contracts["A1"], kind__startswith="audit_")
        .order_by("sequence")
        .values_list("kind", flat=True)
    )
    assert kinds == ["audit_opened", "audit_step", "audit_finding", "audit_step", "audit_step",
                     "audit_finding", "audit_step", "audit_step"]  # fmt: skip
    assert [e.to_state for e in case.events.all()] == [
        "draft", "active", "findings", "remediation", "resolved", "closed"
    ]  # fmt: skip
    call_command("verify")
    assert "intact" in capsys.readouterr().out


def test_an_audit_step_is_hidden_from_the_public_hashed_form(world: World) -> None:
    _open(world)
    entry = Entry.objects.get(contract=world.contracts["A1"], kind="audit_opened")
    form = hashed_form(entry.as_chain_dict(), entry.salt)
    assert set(form["payload"]) == {COMMITMENT}


def test_audit_steps_cannot_be_appended_outside_their_case(world: World) -> None:
    case = _open(world)
    with pytest.raises(PermissionDenied):
        append(
            world.contracts["A1"],
            "audit_referral",
            {"case": str(case.id), "authority": "OIC", "grounds": "x"},
            actor=Actor.of(world.operator),
        )


def test_an_oversight_body_sees_only_the_cases_of_its_institutions(world: World) -> None:
    mine = _open(world)
    theirs = cases.open_case(
        opened_by=world.admin,
        institution=world.inst_b,
        contracts=[world.contracts["B1"]],
        source="manual",
        source_reference="",
        title="Otro",
        reason="Otro motivo",
    )
    assert list(AuditCase.objects.visible_to(world.oversight)) == [mine]
    assert set(AuditCase.objects.visible_to(world.admin)) == {mine, theirs}
    assert not AuditCase.objects.visible_to(world.operator).exists()
    assert not AuditCase.objects.visible_to(world.coordinator).exists()
    with pytest.raises(PermissionDenied):
        cases.take_step(theirs, "activate", by=world.oversight)


def test_ending_a_case_withdraws_its_unanswered_requests_and_their_alerts(world: World) -> None:
    case = _active(world)
    _ask(world, case, "Actas", days=1, sent=at("2025-11-12", 10))
    sweep(at("2025-11-14", 9))
    assert Alert.objects.get(rule="A26").state == AlertState.OPEN
    cases.take_step(case, "stop", by=world.admin, reason="Contrato rescindido")
    assert InfoRequest.objects.get().withdrawn
    assert Alert.objects.get(rule="A26").state == AlertState.CORRECTED


def test_the_contracts_ocds_record_with_audit_steps_is_valid_and_says_nothing_of_them(
    world: World,
) -> None:
    from besa.ocds.mapping import record, record_package, releases
    from besa.ocds.schema import validate_record_package

    case = _active(world)
    cases.record_finding(
        case, by=world.oversight, title="Secreto", description="Nada público",
        legal_basis="LAASSP art. 53", amount_at_stake="10.00",
    )  # fmt: skip
    contract = world.contracts["A1"]
    entries = [e.as_chain_dict() for e in contract.entries.order_by("sequence")]
    made = releases(entries, zone=MX)
    audit_releases = [
        r for r, e in zip(made, entries, strict=True) if e["kind"].startswith("audit_")
    ]
    assert len(audit_releases) == 3
    # An audit release carries no audit content: at most what time alone changed in the
    # contract's projection since the previous entry (here, the implementation under way).
    assert all("contractUpdate" in r["tag"] for r in audit_releases)
    assert [set(r) - {"ocid", "id", "date", "tag", "initiationType", "language"}
            for r in audit_releases[1:]] == [set(), set()]  # fmt: skip
    package = record_package(
        [record(contract.ocid, made)], published_date="2025-12-01T00:00:00Z",
        publisher_name="BESA", uri="https://example.org/r.json",
    )  # fmt: skip
    assert validate_record_package(package) == []
    assert "Secreto" not in str(package)


def test_a_citizens_verifiable_record_with_audit_steps_verifies_without_their_content(
    world: World,
) -> None:
    from besa.logbook import public_record, verify_record
    from besa.logbook.checkpoints import make_checkpoint
    from besa.opendata.checkpoints import published_checkpoints

    case = _active(world)
    cases.record_finding(
        case, by=world.oversight, title="Secreto", description="Nada público",
        legal_basis="LAASSP art. 53", amount_at_stake="10.00",
    )  # fmt: skip
    make_checkpoint()
    record = public_record.build(world.contracts["A1"])
    assert "Secreto" not in str(record)
    result = verify_record.verify(record, None, published_checkpoints()["checkpoints"])
    assert result.problems == []


def test_an_auditor_of_the_institution_is_assigned_once_and_the_step_is_recorded(
    world: World,
) -> None:
    from besa.registry.models import Role, User

    colleague = User.objects.create_user("oic2", password="x", role=Role.OVERSIGHT)
    colleague.oversees.set([world.inst_a])
    stranger = User.objects.create_user("oic3", password="x", role=Role.OVERSIGHT)
    stranger.oversees.set([world.inst_b])
    case = _open(world)
    with pytest.raises(InvalidInput) as refused:
        cases.assign_auditor(case, stranger, by=world.oversight)
    assert refused.value.field == "auditor"
    cases.assign_auditor(case, colleague, by=world.oversight)
    cases.assign_auditor(case, colleague, by=world.oversight)
    assert set(case.auditors.all()) == {world.oversight, colleague}
    steps = Entry.objects.filter(contract=world.contracts["A1"], kind="audit_step")
    assert [e.payload["auditor"] for e in steps] == ["oic2"]


def test_an_answer_naming_a_file_never_uploaded_is_refused_and_writes_nothing(
    world: World,
) -> None:
    case = _active(world)
    request = _ask(world, case, "Actas", days=3, sent=at("2025-11-12", 10))
    before = Entry.objects.count()
    ghost = {"title": "Acta", "sha256": "ab" * 32, "media_type": "application/pdf"}
    with pytest.raises(InvalidInput) as refused:
        cases.answer_request(request, by=world.operator, answer="Se anexa", documents=[ghost])
    assert refused.value.field == "documents"
    request.refresh_from_db()
    assert request.answered_at is None and Entry.objects.count() == before
