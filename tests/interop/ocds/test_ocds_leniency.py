"""Lenient normalisation and the OCDS → BESA mapping, on plain data (no database)."""

from __future__ import annotations

from decimal import Decimal

from tests.interop.ocds.synthetic import releases

from besa.interop.ocds.normalise import Normaliser
from besa.interop.ocds.plan import Terms, plan
from besa.interop.ocds.reader import Item
from besa.interop.ocds.spill import Spill

TERMS = Terms(Decimal(15_000_000), "MXN", "TESOFE", "APF")


def _normalise(data: object, publisher: str | None = None) -> tuple[list, list]:
    normaliser = Normaliser("f.jsonl", publisher)
    found = list(normaliser.items(Item(7, "", data, None)))
    return found, [(i.line, i.path, i.action, i.reason) for i in normaliser.issues]


def test_a_bare_number_ocid_is_prefixed_with_the_publisher_and_reported() -> None:
    found, issues = _normalise({"ocid": 108, "id": "r", "date": "2017-03-06"}, "GACM")
    assert found[0].ocid == "gacm-108"
    assert issues[0][:3] == (7, "ocid", "repaired") and "numeric ocid" in issues[0][3]
    assert "'108' imported as 'gacm-108'" in issues[1][3]


def test_numbers_as_strings_are_parsed_and_unparseable_ones_dropped() -> None:
    release = {
        "ocid": "ocds-abc123-1", "id": "1", "date": "2024-01-01",
        "contracts": [{"id": "c", "value": {"amount": "1,234.50", "currency": "MXN"}},
                      {"id": "d", "value": {"amount": "n/a"}}],
    }  # fmt: skip
    found, issues = _normalise(release)
    contracts = found[0].release["contracts"]
    assert contracts[0]["value"]["amount"] == 1234.5
    assert "amount" not in contracts[1]["value"]
    assert ("contracts[0].value.amount", "repaired") in [(i[1], i[2]) for i in issues]
    assert ("contracts[1].value.amount", "skipped") in [(i[1], i[2]) for i in issues]


def test_ocds_1_0_single_amendment_moves_into_amendments_and_odd_fields_are_kept() -> None:
    release = {
        "ocid": "ocds-abc123-1", "id": "1", "date": "2016-01-01", "clave_procedimiento": "AA-1",
        "contracts": [{"id": "c", "amendment": {"date": "2016-05-01", "rationale": "plazo"}}],
    }  # fmt: skip
    found, issues = _normalise(release)
    assert found[0].release["contracts"][0]["amendments"] == [
        {"id": "1", "date": "2016-05-01", "rationale": "plazo"}
    ]
    assert found[0].release["clave_procedimiento"] == "AA-1"
    assert ("clave_procedimiento", "kept") in [(i[1], i[2]) for i in issues]


def test_a_release_without_ocid_is_skipped_and_named() -> None:
    found, issues = _normalise({"id": "1", "date": "2024-01-01"})
    assert found == [] and issues == [
        (7, "ocid", "skipped", "release sin ocid / release without ocid")
    ]


def test_the_spill_regroups_an_ocids_releases_scattered_through_the_input() -> None:
    spill = Spill()
    try:
        normaliser = Normaliser("s.jsonl")
        for line, release in enumerate(releases(3), start=1):
            for found in normaliser.items(Item(line, "", release, None)):
                spill.add("s.jsonl", found)
        grouped = [(ocid, [s.line for s in items]) for ocid, items in spill.processes()]
    finally:
        spill.close()
    assert grouped == [
        ("ocds-tst001-000000", [1, 4]),
        ("ocds-tst001-000001", [2, 5]),
        ("ocds-tst001-000002", [3, 6]),
    ]


def _compiled(index: int) -> dict:
    from besa.ocds.schema import merger

    pair = [r for r in releases(index + 1) if r["ocid"].endswith(f"{index:06d}")]
    found = [_normalise(r)[0][0].release for r in pair]
    return merger().create_compiled_release(found)


def test_a_contract_over_the_threshold_maps_to_registration_and_dated_entries() -> None:
    result = plan(_compiled(0), "tst", TERMS)
    (contract,) = result.contracts
    assert contract.ocid == "ocds-tst001-000000"
    assert contract.fields["procedure_type"] == "licitacion_publica"
    assert contract.fields["contracting_type"] == "adquisicion"
    assert contract.fields["signing_date"].isoformat() == "2024-02-01"
    assert contract.buyer.rfc == "SHC820101AB1" and contract.suppliers[0].rfc
    kinds = [(e.kind, e.day) for e in contract.entries]
    assert kinds[0][0] == "guarantee" and ("amendment", "2024-05-01") in kinds
    assert [k for k, _ in kinds].count("payment") >= 1
    assert kinds == sorted(kinds, key=lambda k: k[1])
    assert all(
        e.key.split(":")[0] in {"guarantee", "amendment", "transaction"} for e in contract.entries
    )


def test_a_contract_below_the_threshold_is_not_planned_for_registration() -> None:
    assert plan(_compiled(1), "tst", TERMS).contracts == []


def test_a_foreign_currency_contract_is_kept_unregistered_with_the_reason() -> None:
    compiled = _compiled(0)
    compiled["contracts"][0]["value"]["currency"] = "USD"
    result = plan(compiled, "tst", TERMS)
    assert result.contracts == []
    assert [(n.path, n.action) for n in result.notes] == [
        ("contracts[0].value.currency", "skipped")
    ]
