"""The Spanish UI writes numbers as in Mexico: a decimal point and comma thousands."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template('{{ score|floatformat:3 }} {{ amount|floatformat:"2g" }}')


@pytest.mark.parametrize("language", ["es", "en"])
def test_decimals_and_thousands(language: str) -> None:
    with translation.override(language):
        text = TEMPLATE.render(Context({"score": 0.20712, "amount": 1250000.5}))
    assert text == "0.207 1,250,000.50"
