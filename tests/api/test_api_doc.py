"""docs/api.md has a request example for registration and for every entry kind, and each
example is valid for its kind's payload model (the one definition)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from besa.logbook.kinds import AUDIT_KINDS
from besa.logbook.kinds.payloads import MODELS
from besa.registering import RegistrationRequest, with_regime

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _requests() -> dict[str, dict[str, object]]:
    text = DOC.read_text(encoding="utf-8")
    found = {}
    for kind, block in re.findall(r"### `(\w+)`.*?\n```json\n(.*?)\n```", text, re.S):
        found[kind] = json.loads(block)
    return found


def test_every_entry_kind_but_registration_has_a_valid_request_example() -> None:
    requests = _requests()
    # audit steps are recorded from their case (besa.audits), never through this endpoint
    assert set(requests) == set(MODELS) - {"registration"} - AUDIT_KINDS
    for kind, request in requests.items():
        assert request["kind"] == kind
        MODELS[kind].model_validate(request["payload"])


def test_the_registration_example_is_a_valid_registration_request() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Register a contract", 1)[1]
    body = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))  # type: ignore[union-attr]
    RegistrationRequest.model_validate(with_regime(body))
