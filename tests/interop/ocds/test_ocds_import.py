"""``besa import ocds`` against a real database: the five publishers' real samples, the same
file twice, broken files, and alerts raised on imported facts as on typed ones."""

from __future__ import annotations

import collections
import datetime as dt
import gzip
import io
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command
from tests.interop.ocds.snapshot import state
from tests.interop.ocds.synthetic import releases
from tests.world import World

from besa.alerts.models import Alert
from besa.exceptions import InvalidInput
from besa.interop.importer import import_ocds
from besa.interop.models import ImportedProcess, ImportRun, RunStatus
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.registry.models import Contract
from besa.registry.registration import SupplierShare, register_contract, register_supplier
from besa.risk.models import RiskResult, RunKind

FIXTURES = Path(__file__).parents[2] / "fixtures" / "mexico-ocds"
PUBLISHERS = ["administracion-publica-federal", "cdmx", "grupo-aeroportuario", "inai", "jalisco"]


@pytest.fixture
def historic(monkeypatch: pytest.MonkeyPatch) -> None:
    """The federal jurisdiction with holiday lists back to 2012, for the 2014–2018 samples."""
    monkeypatch.setenv("BESA_JURISDICTION", str(FIXTURES / "mx-federal-historic.toml"))


def _synthetic(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "synthetic.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in releases(count))))
    return path


def _issues(report: io.BytesIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in report.getvalue().splitlines()]


# --- the real samples -----------------------------------------------------------------------

#: What each publisher's report must name (path ending, action, words of the reason).
EXPECTED = {
    "administracion-publica-federal": ("contracts[0].value", "skipped", "positive amount"),
    "cdmx": ("value.currency", "skipped", "no published exchange rate"),
    "grupo-aeroportuario": ("ocid", "repaired", "imported as 'grupo-aeroportuario-"),
    "inai": ("clave_procedimiento", "kept", "non-standard field"),
    "jalisco": ("documents[0]", "skipped", "without SHA-256"),
}  # fmt: skip


@pytest.mark.parametrize("publisher", PUBLISHERS)
def test_each_publishers_real_sample_imports_and_the_report_says_what_was_skipped(
    db: None, historic: None, publisher: str
) -> None:
    report = io.BytesIO()
    summary = import_ocds([FIXTURES / f"{publisher}.jsonl.gz"], publisher=publisher, report=report)
    issues = _issues(report)
    assert summary.run.status == RunStatus.COMPLETED
    assert summary.counts["processes"] == ImportedProcess.objects.count() > 0
    assert len(issues) == sum(
        summary.counts[action] for action in ("skipped", "repaired", "kept", "missing")
    )
    assert {i["file"] for i in issues} == {f"{publisher}.jsonl.gz"}
    assert all(isinstance(i["line"], int) and i["line"] >= 1 for i in issues)
    suffix, action, words = EXPECTED[publisher]
    assert any(
        str(i["path"]).endswith(suffix) and i["action"] == action and words in str(i["reason"])
        for i in issues
    ), collections.Counter((i["action"], i["reason"]) for i in issues).most_common(5)


def test_gacm_contracts_over_the_threshold_are_registered_by_the_importing_system(
    db: None, historic: None
) -> None:
    summary = import_ocds([FIXTURES / "grupo-aeroportuario.jsonl.gz"], publisher="GACM")
    registered = Contract.objects.filter(imported_processes__isnull=False)
    assert summary.counts["registered"] == registered.count() >= 80
    contract = registered.order_by("ocid").first()
    assert contract is not None and contract.ocid.startswith("gacm-")
    assert contract.amount >= 15_000_000
    entry = contract.entries.get(sequence=1)
    assert entry.kind == "registration"
    assert entry.actor == {"user": "import:ocds", "role": "system", "institution": ""}
    below = ImportedProcess.objects.filter(contracts__isnull=True)
    assert below.count() == summary.counts["processes"] - registered.count()
    assert "tender" in below.first().compiled_release  # kept for risk analytics


def test_a_contract_signed_in_a_year_the_file_does_not_list_is_registered_all_the_same(
    db: None,
) -> None:
    # The bundled file lists declared days from 2021 only; 2017 is counted from the law's rules.
    report = io.BytesIO()
    summary = import_ocds([FIXTURES / "jalisco.jsonl.gz"], report=report)
    registered = Contract.objects.filter(imported_processes__isnull=False)
    assert summary.counts["registered"] == registered.count() > 0
    assert all(c.signing_date.year < 2021 for c in registered)
    assert not any("holidays" in str(i["reason"]) for i in _issues(report))


def test_a_cdmx_record_and_its_releases_merge_into_one_process(db: None, historic: None) -> None:
    import_ocds([FIXTURES / "cdmx.jsonl.gz"])
    # 4 records + 20 releases of 8 ocids: the records' ocids also have releases.
    assert ImportedProcess.objects.count() == 8
    process = ImportedProcess.objects.get(ocid="OCDS-87SD3T-SEFIN-DRM-A-006-2016")
    assert process.compiled_release["contracts"][0]["implementation"]["transactions"]


# --- idempotency ----------------------------------------------------------------------------


def test_importing_the_same_files_twice_changes_nothing(
    db: None, historic: None, tmp_path: Path
) -> None:
    files = [_synthetic(tmp_path, 40), FIXTURES / "grupo-aeroportuario.jsonl.gz"]
    first_report, second_report = io.BytesIO(), io.BytesIO()
    first = import_ocds(files, report=first_report)
    before = state(exact=True)
    second = import_ocds(files, report=second_report)
    assert state(exact=True) == before
    assert first.counts["entries"] > 40 and first.counts["registered"] > 20
    assert second.counts["written"] == second.counts["registered"] == second.counts["entries"] == 0
    assert second.counts["unchanged"] == first.counts["processes"]
    assert second_report.getvalue() == first_report.getvalue()
    assert ImportRun.objects.count() == 1


def test_a_changed_process_gets_only_its_new_facts_appended(db: None, tmp_path: Path) -> None:
    import_ocds([_synthetic(tmp_path, 2)])
    contract = Contract.objects.get(ocid="ocds-tst001-000000")
    count = contract.entries.count()
    extra = next(r for r in releases(2) if r["id"] == "ocds-tst001-000000-2")
    extra = {**extra, "id": "ocds-tst001-000000-3", "date": "2024-09-01T00:00:00-06:00"}
    extra["contracts"][0]["implementation"]["transactions"] = [
        {
            "id": "T9",
            "date": "2024-09-01T00:00:00-06:00",
            "value": {"amount": 1000, "currency": "MXN"},
        }
    ]
    path = tmp_path / "more.json"
    path.write_bytes(orjson.dumps({"releases": [*releases(2), extra]}))
    summary = import_ocds([path])
    assert summary.counts["written"] == 1 and summary.counts["entries"] == 1
    assert contract.entries.count() == count + 1
    assert contract.entries.last().payload["amount"] == "1000.00"


# --- broken input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "tail", "message"),
    [
        ("truncated.json", b'{"releases": [{"ocid": "ocds-tst001-9", "id": "1", "da', "truncated"),
        ("latin1.jsonl", '{"ocid": "ocds-tst001-9", "title": "Adquisición"}\n'.encode("latin-1"),
         "not UTF-8"),
    ],
)  # fmt: skip
def test_a_broken_file_after_good_ones_writes_nothing_at_all(
    db: None, tmp_path: Path, name: str, tail: bytes, message: str
) -> None:
    broken = tmp_path / name
    broken.write_bytes(tail if name.endswith(".json") else b"\n" + tail + b"\n")
    with pytest.raises(InvalidInput, match=message) as caught:
        import_ocds([_synthetic(tmp_path, 10), broken])
    assert caught.value.field.startswith(name)
    counts = state(exact=True)["counts"]
    assert set(counts.values()) == {0}, counts


def test_an_oversized_file_is_refused_by_the_setting_and_writes_nothing(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BESA_IMPORT_MAX_BYTES", "1000")
    with pytest.raises(InvalidInput, match="BESA_IMPORT_MAX_BYTES"):
        import_ocds([_synthetic(tmp_path, 10)])
    assert ImportRun.objects.count() == ImportedProcess.objects.count() == 0


def test_the_command_prints_a_summary_writes_the_report_and_fails_on_fatal_errors(
    db: None, tmp_path: Path
) -> None:
    out = io.StringIO()
    report = tmp_path / "report.jsonl"
    call_command(
        "import", "ocds", str(_synthetic(tmp_path, 4)), "--report", str(report), stdout=out
    )
    assert (
        "8 releases, 4 processes (4 written, 0 unchanged), 2 contracts registered" in out.getvalue()
    )
    lines = [orjson.loads(x) for x in report.read_bytes().splitlines()]
    assert lines and set(lines[0]) == {"file", "line", "path", "action", "reason"}
    broken = tmp_path / "cut.json"
    broken.write_bytes(b'{"releases": [')
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import", "ocds", str(broken), stdout=out)
    assert exited.value.code == 2
    assert "cut.json: byte" in out.getvalue() and "nothing was imported" in out.getvalue()


# --- alerts on imported facts ---------------------------------------------------------------


def test_a_late_imported_guarantee_raises_the_same_alert_as_a_typed_one(
    db: None, world: World, tmp_path: Path
) -> None:
    late = next(
        r for r in releases(20)
        if r["tag"] == ["implementation"] and int(r["ocid"][-6:]) % 2 == 0
        and r["contracts"][0]["guarantees"][0]["date"].startswith("2024-02-25")
    )  # fmt: skip
    pair = [r for r in releases(20) if r["ocid"] == late["ocid"]]
    path = tmp_path / "late.json"
    path.write_bytes(orjson.dumps({"releases": pair}))
    import_ocds([path])
    imported = Alert.objects.get(ocid=late["ocid"], rule="A04")

    system = Actor.system("typed")
    typed = register_contract(
        system,
        buying_unit=world.units["A1"] if "A1" in world.units else next(iter(world.units.values())),
        suppliers=[SupplierShare(register_supplier(rfc="EKU9003173C9", name="Typed SA"))],
        number="T-1", title="Typed", contracting_type="adquisicion",
        procedure_type="licitacion_publica", signing_date=dt.date(2024, 2, 1),
        start_date=dt.date(2024, 2, 2), end_date=dt.date(2024, 12, 31),
        amount=Contract.objects.get(ocid=late["ocid"]).amount, currency="MXN",
    )  # fmt: skip
    guarantee = {
        "guarantee_id": "G1", "type": "performance", "action": "new",
        "instrument": "surety_bond", "amount": "1.00", "beneficiary": "TESOFE",
        "date_received": "2024-02-25",
    }  # fmt: skip
    append(typed, "guarantee", guarantee, actor=system)
    by_hand = Alert.objects.get(contract=typed, rule="A04")
    assert imported.evidence["problem"] == "late"
    assert (imported.subject, imported.evidence) == (by_hand.subject, by_hand.evidence)


def test_imported_processes_are_scored_by_the_per_process_risk_rules_as_they_arrive(
    db: None, historic: None
) -> None:
    import_ocds([FIXTURES / "inai.jsonl.gz"], report=io.BytesIO())

    scored = set(
        RiskResult.objects.filter(run__kind=RunKind.LIVE_PROCESS).values_list("subject_id", "code")
    )
    ocids = set(ImportedProcess.objects.values_list("ocid", flat=True))
    assert ocids and {ocid for ocid, code in scored if code == "CRI"} == ocids
    # INAI publishes bids: the single-bid component is computed, not missing, for them.
    assert RiskResult.objects.filter(
        run__kind=RunKind.LIVE_PROCESS, code="SINGLEB", value__isnull=False
    ).exists()


# --- files that cannot be read (issue 11) ---------------------------------------------------


def _truncated_gzip(tmp_path: Path) -> Path:
    whole = gzip.compress(
        b"".join(orjson.dumps({"ocid": f"ocds-x-{i}"}) + b"\n" for i in range(500))
    )
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    return cut


def _utf16(tmp_path: Path) -> Path:
    path = tmp_path / "wide.json"
    path.write_bytes('{"releases": []}'.encode("utf-16"))
    return path


@pytest.mark.parametrize(
    "make",
    [_truncated_gzip, _utf16, lambda tmp_path: tmp_path / "absent.json", lambda tmp_path: tmp_path],
    ids=["truncated gzip", "UTF-16", "missing", "a directory"],
)
def test_a_file_that_cannot_be_read_is_one_line_on_stderr_naming_it_with_status_2(
    db: None, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("import", "ocds", str(path), stdout=out, stderr=err)

    assert exited.value.code == 2
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and path.name in lines[0]
    assert ImportRun.objects.count() == 0


def test_an_unreadable_csv_is_one_line_on_stderr_for_every_csv_source(
    db: None, tmp_path: Path
) -> None:
    missing = str(tmp_path / "absent.csv")
    for args in (["tesofe", missing], ["sanctions", "--date", "2025-01-01", missing],
                 ["compranet-csv", missing], ["compliance", missing]):  # fmt: skip
        err = io.StringIO()
        with pytest.raises(SystemExit) as exited:
            call_command("import", *args, stdout=io.StringIO(), stderr=err)
        assert exited.value.code == 2, args
        assert err.getvalue().count("\n") == 1 and "absent.csv" in err.getvalue(), args
