"""A contract's registered terms checked against each other and the jurisdiction.

``Contract.clean()`` and every registration path call ``check_contract``. It reads the
choices from the model's fields rather than importing the models, so ``besa.registry.models``
can import this module at the top without a circle.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from besa.exceptions import InvalidInput
from besa.jurisdiction import from_env
from besa.registry import validation

if TYPE_CHECKING:
    from besa.registry.models import Contract


def check_contract(contract: Contract) -> None:
    """Raise ``InvalidInput`` naming the first bad field of an unsaved or edited contract.

    Checks the choices, the currency, the money and date terms against each other, and that
    the legal regime exists in the deployment's jurisdiction file.
    """
    jurisdiction = from_env()
    for field in ("procedure_type", "contracting_type", "character"):
        choices = {value for value, _ in getattr(contract._meta.get_field(field), "choices", ())}
        if getattr(contract, field) not in choices:
            raise InvalidInput(
                field, f"valor desconocido / unknown value: {getattr(contract, field)!r}"
            )
    if not (contract.number or "").strip():
        raise InvalidInput("number", "obligatorio / required")
    if not (contract.title or "").strip():
        raise InvalidInput("title", "obligatorio / required")
    if contract.regime not in jurisdiction.regimes:
        raise InvalidInput(
            "regime",
            f"marco normativo desconocido / unknown regime {contract.regime!r}; "
            f"expected one of {sorted(jurisdiction.regimes)}",
        )
    contract.currency = validation.check_currency(contract.currency)
    regime = jurisdiction.regime(contract.regime)
    validation.check_terms(
        validation.ContractTerms(
            currency=contract.currency,
            amount=validation.check_amount(contract.amount, "amount"),
            exchange_rate=contract.exchange_rate,
            is_open=contract.is_open,
            min_amount=contract.min_amount,
            max_amount=contract.max_amount,
            award_date=contract.award_date,
            signing_date=contract.signing_date,
            start_date=contract.start_date,
            end_date=contract.end_date,
        ),
        home_currency=jurisdiction.currency,
        open_min_percent=regime.open_contract_min_percent,
    )
    for field in ("advance_percent", "guarantee_percent", "penalty_rate_percent"):
        value = Decimal(str(getattr(contract, field)))
        if not Decimal(0) <= value <= Decimal(100):
            raise InvalidInput(field, f"debe estar entre 0 y 100 / must be within 0–100: {value}")
