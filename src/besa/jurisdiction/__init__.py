"""Legal configuration of a BESA deployment: thresholds, deadlines, regimes and calendars.

Pure Python (no Django): rule code receives a ``Jurisdiction`` and reads every day count,
percentage and threshold from it, never from literals. Typical use::

    from besa import jurisdiction

    mx = jurisdiction.from_env()                    # BESA_JURISDICTION, default mx-federal
    regime = mx.regime_for(procedure_started_on)    # LAASSP-2000 or LAASSP-2025
    due = mx.calendar.add_natural_days(cfdi_received_on, regime.payment_days)

Every malformed file raises ``besa.exceptions.JurisdictionError`` naming the bad key.
"""

from besa.jurisdiction.calendar import BusinessCalendar
from besa.jurisdiction.loader import DEFAULT, ENV_VAR, from_env, load, shipped
from besa.jurisdiction.model import Jurisdiction, Regime

__all__ = [
    "DEFAULT",
    "ENV_VAR",
    "BusinessCalendar",
    "Jurisdiction",
    "Regime",
    "from_env",
    "load",
    "shipped",
]
