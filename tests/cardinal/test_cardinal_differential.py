"""The engine against a naive second implementation (``reference.py``) on real and synthetic
data, across settings variants. (The ``ocdscardinal`` executable itself is not installable
here; see docs/indicators.md.)"""

from __future__ import annotations

import pytest
from tests.cardinal import reference
from tests.cardinal.helpers import lines

from besa import cardinal

ALL = "".join(f"[{code}]\n" for code in cardinal.all_indicators().enabled)
VARIANTS = {
    "defaults, DOP": "currency = DOP\n" + ALL,
    "first observed currency": ALL,
    "thresholds": "currency = DOP\n"
    + ALL.replace("[R024]\n", "[R024]\nthreshold = 0.05\n")
    .replace("[R058]\n", "[R058]\nthreshold = 0.5\n")
    .replace("[R025]\n", "[R025]\nthreshold = 0.3\npercentile = 60\n")
    .replace("[R038]\n", "[R038]\nthreshold = 0.4\nminimum_submitted_bids = 3\n")
    .replace("[R048]\n", "[R048]\ndigits = 3\nminimum_contracting_processes = 2\n")
    .replace("[R003]\n", "[R003]\nthreshold = 10\nprocurement_methods = open|selective\n"),
    "procedures": "currency = DOP\nno_price_comparison_procurement_methods = Sorteo de Obras\n"
    + "[exclusions]\nprocurement_method_details = Compras Menores\n"
    + ALL.replace(
        "[R003]\n", "[R003]\n[R003.procurement_method_details]\nSubasta Inversa = 25\n"
    ).replace("[R018]\n", "[R018]\nprocurement_methods = open|limited\n"),
    "allow-list": "currency = DOP\nprice_comparison_procurement_methods = Subasta Inversa\n" + ALL,
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_synthetic_sample_matches_the_naive_implementation(variant: str) -> None:
    data = lines("synth-2000.jsonl.gz")
    settings = cardinal.parse_settings(VARIANTS[variant])
    ours = cardinal.indicators(data, settings, meta=False)
    assert ours == reference.indicators(data, settings)
    assert len(ours.get("OCID", {})) > 100


@pytest.mark.parametrize("name", ["mexico-releases.jsonl.gz", "mexico-compiled.jsonl.gz"])
def test_mexican_data_matches_the_naive_implementation(name: str) -> None:
    data = lines(name)
    settings = cardinal.parse_settings(
        ALL.replace("[R048]\n", "[R048]\nminimum_contracting_processes = 1\n")
    )
    assert cardinal.indicators(data, settings, meta=False) == reference.indicators(data, settings)
