"""Rules about the contract's own formalities: registration in BESA (A01) and signing (A03).

Article numbers are those of the 2000 LAASSP (domain.md §0); the 2025 law renumbered them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from besa.rules.base import Context, Finding, Verdict, rule
from besa.rules.facts import base_amount, day, iso, to_home_currency


@rule(
    "A01",
    name_es="Contrato no registrado / registro extemporáneo",
    name_en="Contract not registered / registered late",
    severity="H",
    legal_basis="Acuerdo y Lineamientos de la BESA (DOF 2021-10-01)",
    trigger_es=(
        "Contrato de monto igual o superior al umbral registrado en la bitácora después de la "
        "firma más N días hábiles (N = registration_business_days); o publicado en "
        "CompraNet/ComprasMX e importado, y no confirmado por su unidad compradora en ese plazo"
    ),
    trigger_en=(
        "A contract at or above the threshold registered in the logbook later than signing "
        "plus N business days (N = registration_business_days); or published in "
        "CompraNet/ComprasMX and imported, and not confirmed by its buying unit by then"
    ),
    parameters=("registration_business_days", "registration_threshold", "timezone"),
)
def late_registration(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A01: the buying unit registered the contract after signing +
    ``registration_business_days``, or (a contract published elsewhere and imported) has not
    registered it at all by then.

    The registration day is the server time at which the buying unit's registration was
    recorded, as a date in the jurisdiction's time zone: the registration entry's
    ``recorded_at`` for a contract it registered itself; for one that reached BESA by import
    (``context.publication``), the moment it confirmed the pre-filled registration
    (``Publication.confirmed_at``) — the import's own registration is the publisher's data,
    not the unit's act. The deadline is the N-th business day after the signing date on the
    jurisdiction's calendar. With N = 5 and a signing on a Monday with no holiday that week:
    registered (or confirmed) by the next Monday is on time, on the Tuesday it is late.

    Two findings, subject ``contract``: registered (or confirmed) after the deadline, with
    ``business_days_late``; and ``problem: not_registered`` (imported, unconfirmed, and the
    deadline has passed; ``next_check`` is the day after the deadline while it is ahead, so
    the sweep raises it on that day). Contracts below ``registration_threshold`` (amount
    without VAT, maximum of open contracts, in the home currency) are registered voluntarily
    and never fire.
    """
    terms = snapshot.get("contract")
    registered = _registration_recorded_at(snapshot)
    if terms is None or registered is None:
        return Verdict()
    amount = to_home_currency(snapshot, base_amount(snapshot))
    if amount < context.jurisdiction.registration_threshold:
        return Verdict()
    signed = day(terms["signing_date"])
    days = context.regime.registration_business_days
    deadline = context.jurisdiction.calendar.add_business_days(signed, days)
    evidence: dict[str, Any] = {
        "signing_date": iso(signed),
        "registration_business_days": days,
        "deadline": iso(deadline),
    }
    publication = context.publication
    if publication is not None:
        evidence["published"] = True
        evidence["imported_on"] = iso(publication.reached_on)
        if publication.confirmed_at is None:
            if context.today <= deadline:
                return Verdict((), deadline + _DAY)
            evidence["problem"] = "not_registered"
            summary = (
                "Publicado y no registrado por la unidad compradora / published, not registered"
            )
            return Verdict((Finding("A01", "contract", "H", evidence, summary, deadline + _DAY),))
        registered = publication.confirmed_at
    local = registered.astimezone(context.jurisdiction.zone)
    on = local.date()
    if on <= deadline:
        return Verdict()
    late = context.jurisdiction.calendar.business_days_between(deadline, on)
    evidence.update(
        registered_at=local.isoformat(),
        registered_on=iso(on),
        business_days_late=late,
    )
    return Verdict(
        (
            Finding(
                "A01",
                "contract",
                "H",
                evidence,
                f"Registrado {late} días hábiles tarde / registered {late} business days late",
                deadline + _DAY,
            ),
        )
    )


_DAY = dt.timedelta(days=1)


def _registration_recorded_at(snapshot: Mapping[str, Any]) -> dt.datetime | None:
    for item in snapshot.get("log", ()):
        if item["kind"] == "registration":
            recorded = dt.datetime.fromisoformat(item["recorded_at"])
            return recorded if recorded.tzinfo else recorded.replace(tzinfo=dt.UTC)
    return None


@rule(
    "A03",
    name_es="Formalización tardía",
    name_en="Late formalisation",
    severity="M",
    legal_basis="LAASSP art. 46",
    trigger_es=(
        "Firma del contrato más de N días naturales después del fallo (N = formalisation_days)"
    ),
    trigger_en=(
        "The contract was signed more than N natural days after the award (N = formalisation_days)"
    ),
    parameters=("formalisation_days",),
)
def late_formalisation(snapshot: Mapping[str, Any], context: Context) -> Verdict:
    """A03: signed after the award date + ``formalisation_days`` natural days.

    With 15 days: signing on day 15 after the award is on time, on day 16 it is late. The
    award date stands for the notice of the award (the logbook records no separate notice
    date); a contract registered without an award date never fires. The verdict depends on
    recorded dates only, never on time (``next_check`` is None).
    """
    terms = snapshot.get("contract")
    if terms is None or not terms.get("award_date"):
        return Verdict()
    awarded, signed = day(terms["award_date"]), day(terms["signing_date"])
    days = context.regime.formalisation_days
    deadline = context.jurisdiction.calendar.add_natural_days(awarded, days)
    if signed <= deadline:
        return Verdict()
    late = (signed - deadline).days
    return Verdict(
        (
            Finding(
                "A03",
                "contract",
                "M",
                {
                    "award_date": iso(awarded),
                    "signing_date": iso(signed),
                    "formalisation_days": days,
                    "deadline": iso(deadline),
                    "days_late": late,
                    "days_after_award": (signed - awarded).days,
                },
                f"Firmado {late} días después del plazo / signed {late} days after the deadline",
            ),
        )
    )


__all__ = ["late_formalisation", "late_registration"]
