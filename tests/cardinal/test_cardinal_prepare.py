"""``prepare``: corrections, defaults, re-mapped codes, redactions, and the issues report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from tests.cardinal.helpers import FIXTURES

from besa import cardinal
from besa.cardinal import prepare


def prepared(
    documents: list[dict[str, Any]], ini: str = ""
) -> tuple[list[dict[str, Any]], list[str]]:
    """Prepare documents (as lines 1, 2, …); returns them corrected and the CSV issue rows."""
    preparer = prepare.Preparer(cardinal.parse_settings(ini))
    rows: list[prepare.Issue] = []
    for number, document in enumerate(documents, start=1):
        preparer.release(document, number, rows)
    return documents, [prepare.issue_row(r) for r in rows]


def test_ids_become_strings_and_objects_become_arrays() -> None:
    [doc], issues = prepared(
        [
            {
                "ocid": "X",
                "buyer": {"id": 1},
                "tender": {"procuringEntity": {"id": 2}},
                "bids": {"details": [{"status": "valid", "tenderers": {"id": 3}}]},
                "awards": [
                    {
                        "id": 4,
                        "status": "active",
                        "suppliers": {"id": 3},
                        "items": [{"classification": {"id": 10}}],
                    }
                ],
                "contracts": [{"awardID": 4}],
                "parties": [{"id": 5}],
            }
        ]
    )
    assert doc["buyer"]["id"] == "1" and doc["tender"]["procuringEntity"]["id"] == "2"
    assert doc["bids"]["details"][0]["tenderers"] == [{"id": "3"}]
    assert doc["awards"][0]["suppliers"] == [{"id": "3"}] and doc["awards"][0]["id"] == "4"
    assert doc["awards"][0]["items"][0]["classification"]["id"] == "10"
    assert doc["contracts"][0]["awardID"] == "4" and doc["parties"][0]["id"] == "5"
    assert issues == []


def test_defaults_fill_missing_values_and_issues_name_what_stays_missing() -> None:
    documents = [{"ocid": "X", "bids": {"details": [{"value": {"amount": 5}}]}, "awards": [{}]}]
    _, issues = prepared(documents)
    assert issues == [
        '1,"X",/bids/details[]/value/currency,0,,not set',
        '1,"X",/bids/details[]/status,0,,not set',
        '1,"X",/awards[]/status,0,,not set',
    ]
    [doc], issues = prepared(
        documents, "[defaults]\ncurrency = MXN\nbid_status = valid\naward_status = active\n"
    )
    assert doc["bids"]["details"][0] == {
        "value": {"amount": 5, "currency": "MXN"},
        "status": "valid",
    }
    assert doc["awards"][0]["status"] == "active" and issues == []


def test_codelists_remap_codes_and_unknown_codes_are_invalid() -> None:
    documents = [{"ocid": "X", "bids": {"details": [{"status": "Qualified"}, {"status": "Odd"}]}}]
    [doc], issues = prepared(documents, "[codelists.bid_status]\nQualified = valid\n")
    assert [b["status"] for b in doc["bids"]["details"]] == ["valid", "Odd"]
    assert issues == ['1,"X",/bids/details[]/status,1,"Odd",invalid']


def test_redactions_delete_placeholders_and_a_zero_amount_is_reported() -> None:
    documents = [
        {
            "ocid": "X",
            "buyer": {"id": "dummy"},
            "bids": {
                "details": [
                    {"status": "valid", "value": {"amount": 99999999, "currency": "MXN"}},
                    {"status": "valid", "value": {"amount": 0, "currency": "MXN"}},
                ]
            },
        }
    ]
    [doc], issues = prepared(
        documents, "[redactions]\namount = 99999999\norganization_id = dummy\n"
    )
    assert doc["buyer"] == {} and doc["bids"]["details"][0]["value"] == {"currency": "MXN"}
    assert issues == ['1,"X",/bids/details[]/value/amount,1,0,is zero']


def test_modifications_prefix_ids_split_details_and_move_auction_bids() -> None:
    documents = [
        {
            "ocid": "X",
            "buyer": {"id": "10"},
            "tender": {"procurementMethodDetails": "Compras Menores - Bienes"},
            "awards": [{"status": "active", "suppliers": [{"id": "DO-RPE-7"}]}],
            "auctions": [{"stages": [{"bids": [{"status": "valid", "tenderers": [{"id": "7"}]}]}]}],
        }
    ]
    ini = (
        "[modifications]\nmove_auctions = true\nprefix_buyer_or_procuring_entity_id = DO-UC-\n"
        "prefix_tenderer_or_supplier_id = DO-RPE-\nsplit_procurement_method_details = -\n"
    )
    [doc], _ = prepared(documents, ini)
    assert doc["buyer"]["id"] == "DO-UC-10"
    assert doc["tender"]["procurementMethodDetails"] == "Compras Menores"
    assert doc["awards"][0]["suppliers"] == [{"id": "DO-RPE-7"}]
    assert doc["bids"]["details"] == [{"status": "valid", "tenderers": [{"id": "DO-RPE-7"}]}]


def test_award_status_by_contract_status_and_party_roles() -> None:
    documents = [
        {
            "ocid": "X",
            "buyer": {"id": "B"},
            "parties": [{"id": "B"}, {"id": "S", "roles": ["payee"]}],
            "awards": [{"id": "1", "status": "active", "suppliers": [{"id": "S"}]}],
            "contracts": [
                {"awardID": "1", "status": "cancelled"},
                {"awardID": "1", "status": "cancelled"},
            ],
        }
    ]
    ini = "[corrections]\naward_status_by_contract_status = true\n[defaults]\nparty_roles = true\n"
    [doc], _ = prepared(documents, ini)
    assert doc["awards"][0]["status"] == "cancelled"
    assert doc["parties"] == [
        {"id": "B", "roles": ["buyer"]},
        {"id": "S", "roles": ["payee", "supplier"]},
    ]


def test_run_keeps_line_order_and_skips_invalid_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"ocid":"1"}\n{bad\n{"ocid":"2"}\n')
    out, errors, stderr = tmp_path / "out.jsonl", tmp_path / "errors.csv", io.StringIO()
    status = prepare.run(
        source, cardinal.parse_settings(""), str(out), str(errors), io.StringIO(), stderr
    )
    assert status == 0
    assert out.read_text() == '{"ocid":"1"}\n{"ocid":"2"}\n'
    assert stderr.getvalue().startswith("WARN Line 2 is invalid JSON")


@pytest.mark.parametrize(
    "name",
    [
        "defaults",
        "codelists",
        "amount",
        "id",
        "modifications_prefix_organization_id",
        "modifications_move_auctions",
        "award_status_by_contract_status",
    ],
)
def test_cardinals_own_prepare_fixture_gives_its_expected_output_byte_for_byte(
    name: str, tmp_path: Path
) -> None:
    folder = FIXTURES / "prepare"
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.csv"
    settings = cardinal.parse_settings((folder / f"{name}.ini").read_text())
    status = prepare.run(
        folder / f"{name}.jsonl", settings, str(out), str(errors), io.StringIO(), io.StringIO()
    )
    assert status == 0
    assert out.read_text() == (folder / f"{name}.output").read_text()
