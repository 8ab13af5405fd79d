"""Registering a contract from the web: every field of the registration, field errors that
keep what was typed, the threshold said on the confirmation page, the receipt of the entry
that opens the logbook; a read-only role is told it may not register."""

from __future__ import annotations

import re

from django.test import Client
from tests.world import World

from besa.logbook.models import Entry
from besa.registry.models import Contract

TYPED = {
    "buying_unit": "A1",
    "contract.number": "WEB-7",
    "contract.title": "Vales de despensa",
    "contract.procedure_type": "adjudicacion_directa",
    "contract.contracting_type": "adquisicion",
    "contract.character": "nacional",
    "contract.legal_basis": "LAASSP art. 41 fr. I",
    "contract.exception_justification": "Único proveedor",
    "contract.signing_date": "2025-06-10",
    "contract.start_date": "2025-06-11",
    "contract.end_date": "2025-12-31",
    "contract.amount": "12,000,000.00",
    "contract.currency": "MXN",
    "contract.guarantee_percent": "10",
    "contract.penalty_rate_percent": "0.5",
    "suppliers.0.rfc": "GODE561231GR8",
    "suppliers.0.name": "Eduardo González",
    "suppliers.0.share_percent": "100",
}


def _hidden(page: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data.setdefault(name, []).append(value)
    return data


def test_the_form_has_every_stored_field_of_the_registration(client: Client, world: World) -> None:
    client.force_login(world.operator)
    html = client.get("/contratos/registrar/").content.decode()
    for name in ("buying_unit", "contract-number", "contract-signing_date", "contract-amount",
                 "contract-guarantee_percent", "suppliers-0-rfc", "compliance-0-source",
                 "budget_sufficiency-oficio_number",
                 "budget_sufficiency-multiyear_authorization-oficio_number"):  # fmt: skip
        assert f'id="f-{name}"' in html, name
    assert "15,000,000.00" in html  # the jurisdiction's threshold, as the locale writes it


def test_an_operator_registers_below_the_threshold_after_fixing_an_error(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    wrong = {**TYPED, "contract.end_date": "31/12/2025", "step": "check"}
    response = client.post("/contratos/registrar/", wrong)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#f-contract-end_date"' in html
    assert 'value="31/12/2025"' in html and 'value="Vales de despensa"' in html
    page = client.post("/contratos/registrar/", {**TYPED, "step": "check"}).content.decode()
    assert 'data-testid="threshold-note"' in page and "voluntario" in page
    assert not Contract.objects.filter(number="WEB-7").exists()
    done = client.post("/contratos/registrar/", {**_hidden(page), "step": "confirm"})
    assert done.status_code == 302
    contract = Contract.objects.get(number="WEB-7")
    first = Entry.objects.get(contract=contract, sequence=1)
    assert first.kind == "registration"
    receipt = client.get(done["Location"]).content.decode()
    assert first.hash in receipt


def test_an_oversight_user_is_told_it_may_not_register(client: Client, world: World) -> None:
    client.force_login(world.oversight)
    response = client.post("/contratos/registrar/", {**TYPED, "step": "confirm"})
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in response.content.decode()
    assert not Contract.objects.filter(number="WEB-7").exists()


def test_an_open_contract_is_judged_against_the_threshold_by_its_maximum(
    client: Client, world: World
) -> None:
    # As rule A01 judges it: an open contract's maximum, not its amount, meets the threshold.
    client.force_login(world.operator)
    typed = {**TYPED, "contract.is_open": "on", "contract.min_amount": "12,000,000.00",
             "contract.max_amount": "20,000,000.00", "step": "check"}  # fmt: skip
    page = client.post("/contratos/registrar/", typed).content.decode()
    assert 'data-testid="threshold-note"' in page and "obligatorio" in page
    assert "voluntario" not in page
