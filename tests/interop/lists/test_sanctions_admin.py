"""The Django admin action is the page where a person confirms a name match."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from tests.interop.lists.conftest import sanctions_file, valid_rfc
from tests.world import World, make_contract

from besa.alerts.models import Alert
from besa.registry.models import MatchStatus, SanctionMatch
from besa.registry.suppliers import register_supplier

ROW = (
    '"GRUPO ACME INDUSTRIAL, S.A DE C.V.",IMSS,0001/2025,FALSEDAD,VARIOS,'
    "SANCIONATORIA CON MULTA E INHABILITACIÓN,2025-01-15,2025-01-10,1 AÑO,1000,X"
)


def test_an_administrator_confirms_a_match_in_the_admin_and_a18_opens(
    world: World, importer: Callable[..., tuple[int, str]]
) -> None:
    supplier = register_supplier(rfc=valid_rfc("GAI200101AB"), name="Grupo Acme Industrial SA")
    contract = make_contract(world.admin, world.units["A1"], supplier)
    importer("sanctions", sanctions_file([ROW]), "--date", "2025-07-01")
    match = SanctionMatch.objects.get()
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client = Client()
    client.force_login(world.admin)
    url = "/admin/registry/sanctionmatch/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "confirm_matches", "_selected_action": [str(match.pk)]}, follow=True
    )
    assert response.status_code == 200
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.decided_by == world.admin
    assert Alert.objects.filter(contract=contract, rule="A18").count() == 1
