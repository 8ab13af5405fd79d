"""Writing the access log: one insert per read, from the views and the API."""

from __future__ import annotations

from typing import Any

from besa.accesslog.models import Read, What


def read(request: Any, what: What, *, contract: Any = None, institution_id: Any = None) -> None:
    """Record that ``request.user`` read ``what`` (of ``contract``, whose institution is taken
    from its buying unit when ``institution_id`` is not given). Anonymous requests read only
    public data and are not recorded."""
    user = request.user
    if not user.is_authenticated:
        return
    if institution_id is None and contract is not None:
        institution_id = contract.buying_unit.institution_id
    if institution_id is None:
        institution_id = home_institution_id(user)
    Read.objects.create(
        user=user,
        what=what,
        path=request.get_full_path()[:400],
        contract=contract,
        institution_id=institution_id,
    )


def home_institution_id(user: Any) -> Any:
    """The reader's own institution: a coordinator's, or that of an operator's first buying
    unit; None for oversight and administrators."""
    if getattr(user, "institution_id", None):
        return user.institution_id
    unit = user.buying_units.order_by("code").values_list("institution_id", flat=True).first()
    return unit
