"""The demo plants a few groups of suppliers that share contact data, and only those."""

import datetime as dt
from collections import Counter, defaultdict

from besa.demo import networks, seed
from besa.jurisdiction import from_env
from besa.risk.networks import SupplierProfile, shared_attributes

TODAY = dt.date(2026, 11, 1)


def _network(n_contracts: int):
    demo = seed._generate(seed.DEFAULT_SEED, TODAY, n_contracts, from_env())
    holders = defaultdict(list)
    for planted in demo.shareholders:
        holders[planted.supplier.pk].append(planted.name)
    profiles = [
        SupplierProfile(
            key=s.rfc,
            name=s.name,
            address=s.fiscal_address,
            phone=s.phone,
            email=s.email,
            legal_representative=s.legal_representative,
            shareholders=tuple(holders[s.pk]),
        )
        for s in demo.suppliers
    ]
    return demo, shared_attributes(profiles)


def test_the_network_view_finds_exactly_the_planted_groups():
    _, network = _network(300)

    sizes = sorted(len(component) for component in network.components())
    assert sizes == sorted(size for _, size in networks.GROUPS)
    assert network.ignored == []  # no value is shared so widely that it looks like a placeholder
    kinds = Counter(
        link["kind"] for _, _, data in network.graph.edges(data=True) for link in data["links"]
    )
    assert set(kinds) == {shared for shared, _ in networks.GROUPS}


def test_every_supplier_outside_the_groups_has_its_own_legal_representative():
    demo, _ = _network(300)

    representatives = Counter(s.legal_representative for s in demo.suppliers)
    shared = [name for name, count in representatives.items() if count > 1]
    assert len(shared) == 1  # the one planted legal_representative group
    assert representatives[shared[0]] == dict(networks.GROUPS)["legal_representative"]


def test_planting_leaves_the_rest_of_the_demo_unchanged():
    first, _ = _network(120)
    second, _ = _network(120)

    assert [c.ocid for c in first.contracts] == [c.ocid for c in second.contracts]
    assert [s.rfc for s in first.suppliers] == [s.rfc for s in second.suppliers]
    assert [s.fiscal_address for s in first.suppliers] == [
        s.fiscal_address for s in second.suppliers
    ]
