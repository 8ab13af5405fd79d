"""A contract registered from a CompraNet export is published, not registered by its unit:
its gaps are listed with a deadline, and no alert stands for what the export cannot carry."""

from __future__ import annotations

from tests.interop.lists.test_compranet_import import QUALIFYING, Importer, _export
from tests.world import World

from besa.alerts.models import DataGap
from besa.registry.models import Contract
from besa.registry.publication import publication_of

GAP_RULES = ["A02", "A04", "A17", "A23", "A24"]


def test_a_contract_registered_from_compranet_is_published_and_its_gaps_listed(
    world: World, importer: Importer
) -> None:
    status, report = importer("compranet-csv", _export(**QUALIFYING))
    assert status == 0 and "1 contracts registered" in report, report
    assert "missing information the buying units must complete" in report
    assert "line 2: 9990001: dato faltante: suficiencia presupuestaria" in report
    contract = Contract.objects.get(compranet_code="9990001")
    publication = publication_of(contract.pk)
    assert publication is not None and publication.confirmed_at is None
    items = set(DataGap.objects.filter(contract=contract).values_list("item", flat=True))
    assert {"budget_sufficiency", "compliance_opinions"} <= items
    assert not contract.alerts.filter(rule__in=GAP_RULES).exists()
