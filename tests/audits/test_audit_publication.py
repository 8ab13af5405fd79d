"""``[portal] public_audits``: closed audit cases on the public contract page only where the
jurisdiction says so; a case at work never."""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest
from django.test import Client
from tests.world import World

from besa.audits import cases, publication
from besa.exceptions import JurisdictionError
from besa.jurisdiction import from_env
from besa.jurisdiction.loader import parse
from besa.jurisdiction.model import PortalSettings


def _federal() -> str:
    return (resources.files("besa.jurisdiction") / "files" / "mx-federal.toml").read_text("utf-8")


def test_the_setting_defaults_to_none_accepts_closed_and_names_a_bad_value() -> None:
    text = _federal()
    assert parse(text.encode(), "f").portal.public_audits == "none"
    without = text.replace('public_audits = "none"\n', "")
    assert parse(without.encode(), "f").portal.public_audits == "none"
    chosen = text.replace('public_audits = "none"', 'public_audits = "closed"')
    assert parse(chosen.encode(), "f").portal.public_audits == "closed"
    with pytest.raises(JurisdictionError) as bad:
        parse(text.replace('public_audits = "none"', 'public_audits = "all"').encode(), "f")
    assert bad.value.key == "portal.public_audits"


def test_a_closed_case_is_public_only_where_published_and_a_running_one_never(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = world.contracts["A1"]
    running = cases.open_case(
        opened_by=world.oversight, institution=world.inst_a, contracts=[contract],
        source="manual", source_reference="", title="Caso en curso", reason="Motivo",
    )  # fmt: skip
    closed = cases.open_case(
        opened_by=world.oversight, institution=world.inst_a, contracts=[contract],
        source="manual", source_reference="", title="Caso concluido", reason="Motivo",
    )  # fmt: skip
    cases.take_step(running, "activate", by=world.oversight)
    cases.take_step(closed, "activate", by=world.oversight)
    cases.take_step(closed, "close_without_findings", by=world.oversight, reason="Sin hallazgos")
    url = f"/publico/contratos/{contract.pk}/"
    hidden = client.get(url).text
    assert 'data-testid="portal-audits-none"' in hidden and "Caso concluido" not in hidden
    chosen = dataclasses.replace(from_env(), portal=PortalSettings(public_audits="closed"))
    monkeypatch.setattr(publication, "from_env", lambda: chosen)
    shown = client.get(url).text
    assert "Caso concluido" in shown and "Sin observaciones" in shown
    assert "Caso en curso" not in shown and "Motivo" not in shown
