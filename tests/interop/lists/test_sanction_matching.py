"""Sanctions directory: RFC matches count at once, name matches only once a person confirms."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from tests.interop.lists.conftest import SANCTIONS_HEADER, sanctions_file, valid_rfc
from tests.world import World, make_contract

from besa.alerts.models import Alert, AlertState
from besa.exceptions import PermissionDenied
from besa.interop.lists.matching import decide
from besa.registry.models import Contract, MatchMethod, MatchStatus, SanctionMatch, Supplier
from besa.registry.suppliers import register_supplier

Importer = Callable[..., tuple[int, str]]
DEBARRED = (
    '"GRUPO ACME INDUSTRIAL, S.A DE C.V.",IMSS,0001/2025,FALSEDAD,VARIOS,'
    "SANCIONATORIA CON MULTA E INHABILITACIÓN,2025-01-15,2025-01-10,1 AÑO,1000,X"
)


@pytest.fixture
def acme(world: World) -> tuple[Supplier, Contract]:
    supplier = register_supplier(
        rfc=valid_rfc("GAI200101AB"), name="Grupo Acme Industrial, S.A. de C.V."
    )
    return supplier, make_contract(world.admin, world.units["A1"], supplier)


def a18(contract: Contract) -> list[Alert]:
    return list(
        Alert.objects.filter(contract=contract, rule="A18").exclude(state=AlertState.CORRECTED)
    )


def test_a_name_match_is_pending_and_raises_nothing_until_a_coordinator_confirms_it(
    world: World, acme: tuple[Supplier, Contract], importer: Importer
) -> None:
    supplier, contract = acme
    status, report = importer("sanctions", sanctions_file([DEBARRED]), "--date", "2025-07-01")
    assert status == 0 and "1 by name pending" in report
    match = SanctionMatch.objects.get()
    assert (match.supplier, match.method, match.status) == (
        supplier, MatchMethod.NAME, MatchStatus.PENDING)  # fmt: skip
    assert match.confidence == 100  # same words once accents, case and S.A. DE C.V. are gone
    assert a18(contract) == []

    with pytest.raises(PermissionDenied):
        decide(match.pk, world.operator, confirm=True, now=timezone.now())
    out = io.StringIO()
    call_command("sanctions", "confirm", str(match.pk), "--user", "coord", stdout=out)
    assert "1 alerts opened" in out.getvalue()
    (alert,) = a18(contract)
    assert alert.evidence["sanctions"][0]["in_force_on"] == ["award", "signing"]
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (MatchStatus.CONFIRMED, world.coordinator)


def test_a_rejected_match_stays_rejected_in_later_snapshots(
    world: World, acme: tuple[Supplier, Contract], importer: Importer
) -> None:
    _, contract = acme
    importer("sanctions", sanctions_file([DEBARRED]), "--date", "2025-07-01")
    match = SanctionMatch.objects.get()
    decide(match.pk, world.admin, confirm=False, now=timezone.now())
    status, report = importer("sanctions", sanctions_file([DEBARRED, ""]), "--date", "2025-08-01")
    assert status == 0 and "pending" not in report
    assert list(SanctionMatch.objects.values_list("status", flat=True)) == ["rejected"]
    assert a18(contract) == []


def test_an_rfc_in_the_directory_counts_at_once_and_raises_a18_at_import(
    world: World, acme: tuple[Supplier, Contract], importer: Importer
) -> None:
    supplier, contract = acme
    data = sanctions_file([f"{DEBARRED},{supplier.rfc}"], header=f"{SANCTIONS_HEADER},RFC")
    status, report = importer("sanctions", data, "--date", "2025-07-01")
    assert status == 0 and "1 by RFC" in report and "A18 1" in report
    match = SanctionMatch.objects.get()
    assert (match.method, match.status) == (MatchMethod.RFC, MatchStatus.CONFIRMED)
    assert len(a18(contract)) == 1
    with pytest.raises(CommandError):
        call_command("sanctions", "reject", str(match.pk), "--user", "admin", stdout=io.StringIO())


def test_a_fine_without_debarment_never_raises_a18_even_when_confirmed(
    world: World, acme: tuple[Supplier, Contract], importer: Importer
) -> None:
    _, contract = acme
    fine = DEBARRED.replace(" E INHABILITACIÓN", "").replace("1 AÑO", "")
    importer("sanctions", sanctions_file([fine]), "--date", "2025-07-01")
    decide(SanctionMatch.objects.get().pk, world.admin, confirm=True, now=timezone.now())
    assert a18(contract) == []


def test_dissimilar_names_are_not_proposed(
    world: World, acme: tuple[Supplier, Contract], importer: Importer
) -> None:
    other = DEBARRED.replace("GRUPO ACME INDUSTRIAL", "CONSTRUCTORA DEL NORTE")
    status, report = importer("sanctions", sanctions_file([other]), "--date", "2025-07-01")
    assert status == 0 and "matches:" not in report
    assert not SanctionMatch.objects.exists()
