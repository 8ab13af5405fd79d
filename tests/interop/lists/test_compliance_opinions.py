"""Compliance opinions recorded on suppliers feed rule A17 (missing, negative, expired)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.interop.lists.conftest import table_dump
from tests.world import World, make_contract

from besa.alerts.models import Alert, AlertState
from besa.registry.models import ComplianceOpinion

Importer = Callable[..., tuple[int, str]]
RFC = "GODE561231GR8"  # the world's supplier; its contracts are signed on 2025-06-10
HEADER = "rfc,source,result,issued_on,valid_until,folio"


def opinions(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def a17(world: World) -> list[Alert]:
    return list(
        Alert.objects.filter(contract=world.contracts["A1"], rule="A17").exclude(
            state=AlertState.CORRECTED
        )
    )


ALL_POSITIVE = (
    f"{RFC},sat_32d,positive,2025-06-01,2025-07-01,S1",
    f"{RFC},imss,positiva,01/06/2025,,I1",
    f"{RFC},infonavit,positive,2025-05-20,2025-06-10,N1",
)


def test_without_opinions_a17_says_every_source_is_missing(world: World) -> None:
    (alert,) = a17(world)
    problems = {p["source"]: p["problem"] for p in alert.evidence["problems"]}
    assert problems == {"sat_32d": "missing", "imss": "missing", "infonavit": "missing"}


def test_valid_positive_opinions_recorded_on_the_supplier_correct_a17_at_import(
    world: World, importer: Importer
) -> None:
    status, report = importer("compliance", opinions(*ALL_POSITIVE))
    assert status == 0, report
    assert "3 recorded" in report and "4 corrected" in report
    assert a17(world) == []
    before = table_dump()
    status, report = importer("compliance", opinions(*ALL_POSITIVE))
    assert "3 unchanged" in report and "0 corrected" in report
    assert table_dump() == before


@pytest.mark.parametrize(
    ("imss", "problem"),
    [
        (f"{RFC},imss,negative,2025-06-01,2025-07-01,I2", "negative"),
        (f"{RFC},imss,positive,2025-01-02,2025-03-01,I3", "expired"),
        (f"{RFC},imss,positive,2025-06-11,2025-07-11,I4", "missing"),  # dated after signing
    ],
)
def test_a_negative_expired_or_late_opinion_keeps_a17_open_naming_it(
    world: World, importer: Importer, imss: str, problem: str
) -> None:
    rows = [r for r in ALL_POSITIVE if ",imss," not in r] + [imss]
    assert importer("compliance", opinions(*rows))[0] == 0
    (alert,) = a17(world)
    assert [(p["source"], p["problem"]) for p in alert.evidence["problems"]] == [("imss", problem)]
    assert alert.evidence["opinions_from"] == "supplier"


def test_opinions_carried_by_the_registration_take_precedence(world: World) -> None:
    ComplianceOpinion.objects.all().delete()
    contract = make_contract(
        world.admin,
        world.units["A1"],
        world.supplier,
        compliance=[
            {"source": s, "date": "2025-06-01", "result": "positive"}
            for s in ("sat_32d", "imss", "infonavit")
        ],
    )
    assert not Alert.objects.filter(contract=contract, rule="A17").exists()


def test_rows_for_unknown_suppliers_or_bad_values_are_skipped_with_their_line(
    world: World, importer: Importer
) -> None:
    status, report = importer(
        "compliance",
        opinions(
            *ALL_POSITIVE,
            "AAA010101AAA,sat_32d,positive,2025-06-01,,X1",
            f"{RFC},sat,positive,2025-06-01,,X2",
            f"{RFC},imss,positive,2025-13-01,,X3",
        ),
    )
    assert status == 0
    assert "skipped line 5: proveedor no registrado" in report
    assert "skipped line 6: emisor desconocido" in report
    assert "skipped line 7: fecha no reconocida" in report
    assert ComplianceOpinion.objects.count() == 3


@pytest.mark.parametrize(
    "data",
    [
        b"rfc,source,result,issued_on,folio\r\nX,imss,positive,2025-01-01,1\r\n",
        opinions(*ALL_POSITIVE).decode().replace("positiva", "positíva").encode("cp1252"),
        opinions(*ALL_POSITIVE)[:-10],
    ],
    ids=["missing-column", "latin1", "truncated"],
)
def test_a_malformed_opinions_file_writes_nothing(
    world: World, importer: Importer, data: bytes
) -> None:
    before = table_dump()
    status, report = importer("compliance", data)
    assert status == 2 and report.startswith("error: line ")
    assert table_dump() == before
