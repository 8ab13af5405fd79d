"""``[portal] public_alerts`` in the jurisdiction file: optional, default "none", checked."""

from __future__ import annotations

from importlib import resources

import pytest

from besa.exceptions import JurisdictionError
from besa.jurisdiction import load
from besa.jurisdiction.loader import parse


def _bundled(code: str) -> str:
    return (resources.files("besa.jurisdiction") / "files" / f"{code}.toml").read_text("utf-8")


@pytest.mark.parametrize("code", ["mx-federal", "mx-sonora"])
def test_the_bundled_files_publish_no_alert(code: str) -> None:
    assert load(code).portal.public_alerts == "none"


def test_without_the_table_no_alert_is_published_and_a_deployment_may_publish_them() -> None:
    text = _bundled("mx-federal")
    start = text.index("[portal]")
    end = text.index("\n\n", start)
    assert parse((text[:start] + text[end:]).encode(), "f").portal.public_alerts == "none"
    chosen = text.replace('public_alerts = "none"', 'public_alerts = "resolved_or_referred"')
    assert parse(chosen.encode(), "f").portal.public_alerts == "resolved_or_referred"


def test_an_unknown_value_or_key_names_its_place() -> None:
    text = _bundled("mx-federal")
    with pytest.raises(JurisdictionError) as bad:
        parse(text.replace('public_alerts = "none"', 'public_alerts = "all"').encode(), "f")
    assert bad.value.key == "portal.public_alerts"
    with pytest.raises(JurisdictionError) as unknown:
        parse(text.replace('public_alerts = "none"', 'public_alert = "none"').encode(), "f")
    assert "portal" in unknown.value.key
