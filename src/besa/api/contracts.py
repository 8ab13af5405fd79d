"""``POST /api/contracts``: register a contract and open its logbook, in one transaction.

The body is ``besa.registering.RegistrationRequest`` (the registration entry's own fields plus
the buying unit's code), the same definition the web form is made from. It is received as an
object and validated by ``register`` (so that an absent regime can default to the signing
date's and errors name the field as the domain does); the OpenAPI document shows the model
(``besa.api.app.BesaAPI``). The operation joins
the contracts router (``besa.api.logbook``) so that ``GET`` and ``POST`` share one path.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Status

from besa.api.logbook import ContractStateOut, router
from besa.api.schemas import ERRORS
from besa.registering import register
from besa.registry.models import Contract


@router.post(
    "",
    response={201: ContractStateOut, **ERRORS},
    summary="Register a contract",
    openapi_extra={"requestBody": {"required": True}},
)
def register_contract(
    request: HttpRequest,
    body: Body[dict[str, Any]],
) -> Status[Contract]:
    """Register a contract for one of the caller's buying units and open its logbook with the
    registration entry (its terms, suppliers, compliance opinions and budget sufficiency).

    The regime defaults to the law in force on the signing date. 201 with the contract's
    state; 422 naming the field (``contract.amount``, ``suppliers.0.rfc``) when anything is
    rejected, and then nothing is written; 404 when the buying unit does not exist or is
    outside the caller's scope; 403 when the caller may read its contracts but not register
    them (an oversight body).
    """
    contract = register(request.user, body)
    return Status(201, Contract.objects.select_related("state").get(pk=contract.pk))
