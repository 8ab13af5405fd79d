"""``{% publication_of contract as pub %}``: how a contract reached BESA, for its page."""

from __future__ import annotations

from typing import Any

from django import template

from besa.registry.publication import publication_of as _publication_of
from besa.rules.base import Publication

register = template.Library()


@register.simple_tag
def publication_of(contract: Any) -> Publication | None:
    """The contract's ``Publication`` if an import registered it, else None."""
    return _publication_of(contract.pk)
