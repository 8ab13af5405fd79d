"""Supplier networks by shared attributes, and co-bidding and rotation from OCDS releases."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from besa.risk import bidding, drawing
from besa.risk.networks import (
    MAX_SHARED,
    SupplierProfile,
    normalise_address,
    normalise_name,
    normalise_phone,
    shared_attributes,
)
from besa.risk.releases import read_releases

FIXTURES = Path(__file__).parents[1] / "fixtures" / "risk"


def test_values_are_normalised_before_they_are_compared():
    assert normalise_address("Av. Reforma #10, Col. Centro") == normalise_address(
        "AVENIDA REFORMA 10 CENTRO"
    )
    assert normalise_phone("+52 (55) 1234-5678 ext. 12") == normalise_phone("01 55 1234 5678")
    assert normalise_phone("123") == ""
    assert normalise_name("José Pérez Núñez") == "JOSE PEREZ NUNEZ"
    assert normalise_name("Grupo Alfa, S.A. de C.V.") == normalise_name("GRUPO ALFA SA DE CV")
    assert normalise_name("Grupo Alfa, S. A. de C. V.") == normalise_name("GRUPO ALFA SA DE CV")
    assert normalise_name("Casa de la Cruz") == "CASA DE LA CRUZ"  # "de" inside a name stays


def test_suppliers_sharing_a_phone_or_a_shareholder_form_one_component():
    network = shared_attributes(
        [
            SupplierProfile("AAA", "Alfa", phone="(55) 1234-5678"),
            SupplierProfile("BBB", "Beta", phone="55 1234 5678", shareholders=("José Pérez",)),
            SupplierProfile("CCC", "Gama", shareholders=("JOSE PEREZ",)),
            SupplierProfile("DDD", "Delta", phone="55 9999 0000", email="x@delta.mx"),
        ]
    )
    assert network.components() == [["AAA", "BBB", "CCC"]]
    assert network.links_of("CCC") == [
        {"supplier": "BBB", "name": "Beta", "kind": "shareholder", "value": "JOSE PEREZ"}
    ]
    assert network.links_of("DDD") == []


def test_a_value_shared_by_too_many_suppliers_is_a_placeholder_not_a_link():
    profiles = [
        SupplierProfile(f"S{n:03d}", f"S{n}", address="Sin domicilio conocido 0")
        for n in range(MAX_SHARED + 1)
    ]
    network = shared_attributes(profiles)
    assert network.components() == []
    assert network.ignored == [
        {"kind": "address", "value": "SIN DOMICILIO CONOCIDO 0", "suppliers": MAX_SHARED + 1}
    ]


def _release(ocid: str, bidders: list[str], winners: list[str], status: str = "active") -> dict:
    return {
        "ocid": ocid,
        "tender": {"tenderers": [{"id": b, "name": b.title()} for b in bidders]},
        "awards": [
            {"id": "1", "status": status, "suppliers": [{"id": w, "name": w} for w in winners]}
        ],
    }


def test_bidders_who_always_meet_and_take_turns_winning_are_flagged():
    releases = [
        _release("p1", ["x", "y"], ["x"]),
        _release("p2", ["x", "y", "z"], ["y"]),
        _release("p3", ["x", "y"], ["x"]),
        _release("p4", ["z", "w"], ["z"]),
    ]
    found = bidding.patterns(releases)
    assert found.processes == 4
    assert [p["suppliers"] for p in found.co_bidding] == [["x", "y"]]
    pair = found.co_bidding[0]
    assert pair["together"] == 3 and pair["wins"] == {"x": ["p1", "p3"], "y": ["p2"]}
    assert [p["suppliers"] for p in found.rotation] == [["x", "y"]]
    # z met x and y once and w once: linked in the bidder graph, not a co-bidding pair.
    assert found.graph.has_edge("x", "z") and found.graph.edges["x", "z"]["weight"] == 1


def test_a_pair_where_one_always_wins_is_co_bidding_but_not_rotation():
    releases = [_release(f"p{n}", ["x", "y"], ["x"]) for n in range(3)]
    found = bidding.patterns(releases)
    assert len(found.co_bidding) == 1 and found.rotation == []


def test_cancelled_awards_do_not_count_and_a_later_release_of_an_ocid_replaces_it():
    releases = [
        _release("p1", ["x", "y"], ["y"]),
        _release("p2", ["x", "y"], ["y"], status="cancelled"),
        _release("p2", ["x", "y"], ["x"]),  # the later compiled release of p2
    ]
    found = bidding.patterns(releases)
    assert found.processes == 2
    assert found.co_bidding[0]["wins"] == {"x": ["p2"], "y": ["p1"]}
    assert len(found.rotation) == 1


def test_organisations_are_identified_by_rfc_when_the_release_gives_one():
    release = {
        "ocid": "p1",
        "parties": [{"id": "P1", "identifier": {"scheme": "MX-RFC", "id": "abc200101ab1"}}],
        "tender": {"tenderers": [{"id": "P1", "name": "Alfa"}, {"id": "RFC-XYZ010101AB2"}]},
    }
    assert bidding.process_of(release).bidders == {"ABC200101AB1", "XYZ010101AB2"}


def _samples() -> list:
    return [
        release
        for folder in ("jalisco", "inai")
        for path in sorted((FIXTURES / folder).glob("*.json.gz"))
        for release in read_releases(path)
    ]


def test_the_real_mexican_samples_give_a_bidder_network():
    releases = _samples()
    assert len(releases) == 20
    inai = bidding.process_of(next(r for r in releases if r["ocid"] == "PC-0010"))
    assert len(inai.bidders) == 7  # tender.tenderers of PC-0010, identified by RFC
    assert "ACT050330C61" in inai.bidders and inai.winners == {"MET8908305M9"}
    found = bidding.patterns(releases)
    assert found.processes == 20
    # No two bidders of these 20 processes meet twice: no co-bidding pair, no rotation.
    assert found.co_bidding == [] and found.rotation == []
    # Bidders of one process are linked: the graph has one component per multi-bidder process
    # unless a bidder links two processes (ILA130207964 bids in three INAI processes).
    assert "ILA130207964" in found.graph
    assert found.graph.degree("ILA130207964") >= 2
    picture = drawing.svg(found.graph)
    assert picture.startswith("<svg") and picture.count("<circle") == found.graph.number_of_nodes()


def test_the_jalisco_placeholder_contact_name_links_nobody():
    profiles = {}
    for release in _samples():
        parties = {p["id"]: p for p in release.get("parties", [])}
        for party in parties.values():
            if not {"supplier", "tenderer"} & set(party.get("roles", [])):
                continue
            contact = party.get("contactPoint") or {}
            key = bidding.organisation_key(party, parties)
            profiles[key] = SupplierProfile(
                key,
                party.get("name", ""),
                address=(party.get("address") or {}).get("streetAddress", ""),
                phone=contact.get("telephone", ""),
                email=contact.get("email", ""),
                legal_representative=contact.get("name", ""),
            )
    network = shared_attributes(profiles.values())
    placeholder = [i for i in network.ignored if i["kind"] == "legal_representative"]
    assert placeholder and placeholder[0]["value"] == "REPRESENTANTE DE VENTAS"  # "de" kept
    assert network.components() == []


def test_the_svg_escapes_names_and_is_deterministic():
    found = bidding.patterns([_release("p1", ["<b>&co", "y"], ["y"])])
    first = drawing.svg(found.graph, highlight=frozenset({"y"}))
    assert "<b>&co" not in first and "&lt;B&gt;&amp;Co" in first
    assert first == drawing.svg(found.graph, highlight=frozenset({"y"}))
    assert 'r="9"' in first  # the highlighted node is larger


def test_each_group_is_drawn_in_a_cell_of_its_own() -> None:
    graph = nx.Graph()
    graph.add_edges_from([("a", "b"), ("b", "c"), ("d", "e"), ("f", "g"), ("g", "h"), ("h", "f")])
    graph.add_node("lonely")

    placed = drawing.positions(graph)

    assert set(placed) == set(graph.nodes)
    boxes = []
    for group in nx.connected_components(graph):
        xs = [placed[n][0] for n in group]
        ys = [placed[n][1] for n in group]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, (x0, x1, y0, y1) in enumerate(boxes):
        assert 0 <= x0 <= x1 <= 1 and 0 <= y0 <= y1 <= 1
        for u0, u1, v0, v1 in boxes[i + 1 :]:
            assert x1 < u0 or u1 < x0 or y1 < v0 or v1 < y0  # the groups' boxes never overlap
