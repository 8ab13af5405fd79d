"""Who sees which risk results (docs/risk.md, "Who sees what").

- **Citizens** (anonymous) see the public ranking of *institutions* only: an aggregate of
  public contract data that says where buying is riskier, without naming a supplier or
  pointing at one contract under review.
- **Oversight** (OIC, área fiscalizadora) sees every ranking, contract flags and supplier
  networks for the institutions it oversees: selecting what to audit is its job.
- **Coordinators** (UAF) see the same for their own institution, to correct practices.
- **Central administrators** see everything.
- **Operators** see no risk results: scores about the contracts they run are audit
  material, and showing them would teach how to stay under the flags.

Contract-, supplier- and network-level results are reserved while they may feed an audit
(transparency law's reserve for information that could obstruct verification), so they are
never public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from besa.registry.models import Institution, Role


@dataclass(frozen=True)
class Audience:
    """What one user may see: ``public`` (institutions' ranking only) or ``staff`` limited to
    ``institutions`` (codes; None = all)."""

    public: bool
    institutions: frozenset[str] | None

    def allows(self, institution: str) -> bool:
        return self.institutions is None or institution in self.institutions


class NoRiskAccess(Exception):
    """The user is signed in with a role that sees no risk results (an operator)."""


def audience_of(user: Any) -> Audience:
    """The audience of ``user``; raises ``NoRiskAccess`` for operators and users whose
    role is not scoped (a coordinator without an institution)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Audience(public=True, institutions=None)
    if user.is_central_admin:
        return Audience(public=False, institutions=None)
    if user.role == Role.COORDINATOR and user.institution_id:
        codes = Institution.objects.filter(pk=user.institution_id).values_list("code", flat=True)
        return Audience(public=False, institutions=frozenset(codes))
    if user.role == Role.OVERSIGHT:
        return Audience(
            public=False, institutions=frozenset(user.oversees.values_list("code", flat=True))
        )
    raise NoRiskAccess(user.get_username())
