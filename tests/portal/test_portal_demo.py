"""Over a small demo (60 contracts with whole histories): no individual's RFC or name appears in
any public page or download of the portal, and every contract's verifiable record verifies."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from besa.demo import seed
from besa.logbook import verify_record
from besa.logbook.checkpoints import make_checkpoint
from besa.registry.models import Contract, Supplier
from besa.registry.validation import is_natural_person_rfc

TODAY = dt.date(2026, 11, 20)


def _body(response: Any) -> str:
    assert response.status_code == 200
    streamed = response.streaming
    data = b"".join(response.streaming_content) if streamed else response.content
    return str(data.decode("utf-8-sig"))


@pytest.mark.django_db
def test_no_individual_appears_in_the_portal_and_every_record_verifies() -> None:
    seed.load(seed=seed.DEFAULT_SEED, today=TODAY, n_contracts=60)
    make_checkpoint()
    individuals = [s for s in Supplier.objects.all() if is_natural_person_rfc(s.rfc)]
    supplied = Contract.objects.filter(suppliers__in=individuals).distinct()
    assert individuals and supplied.exists(), "the demo has individuals supplying contracts"
    secrets = {s.rfc for s in individuals} | {s.name for s in individuals}
    client = Client()
    keys = verify_record._keys(
        json.loads(client.get("/api/opendata/checkpoints.json").content)["public_keys"]
    )
    pages = [_body(client.get("/publico/"))]
    for individual in individuals[:5]:
        # the page echoes what the citizen typed, and finds nothing
        searched = _body(client.get("/publico/", {"proveedor": individual.rfc}))
        assert 'data-testid="portal-count">0 contratos<' in searched
    for contract in Contract.objects.filter(state__last_sequence__gt=0):
        base = f"/publico/contratos/{contract.pk}/"
        pages += [_body(client.get(base + s)) for s in ("", "ocds.json", "asientos.csv")]
        record = _body(client.get(base + "registro.json"))
        pages.append(record)
        result = verify_record.verify(json.loads(record), keys)
        assert result.verified, (contract.ocid, result.problems)
        assert not result.not_covered
    for text in pages:
        found = [s for s in secrets if s in text]
        assert not found, found
