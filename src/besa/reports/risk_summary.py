"""Report (e, second part): the institutions' risk ranking in words — each institution's mean
corruption-risk index (CRI) over its contracts, and the indicators most often raised, named
in words with how many of its contracts raise them (``besa.risk``'s latest portfolio run).

Public, like the ranking page: institutions only, no contract, supplier or person. Filters:
institution and signing period (the run's stored rows are re-aggregated; nothing is
recomputed); the currency filter does not apply to the ranking.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from besa.reports.filters import ReportFilters
from besa.reports.tables import Column, Report, Table, money
from besa.risk import queries, words
from besa.risk.access import Audience

SLUG = "riesgo"
#: Most indicators named per institution.
NAMED = 3


def indicator_words(code: str) -> str:
    """The indicator's name in a sentence (``besa.risk.words``), its code in brackets."""
    name = words.indicator(code)
    return f"{name[:1].lower()}{name[1:]} ({code})" if name != code else code


def build(audience: Audience, filters: ReportFilters, as_of: dt.datetime) -> Report:
    """The ranking ``audience`` may see: staff of an institution see theirs, the public all."""
    asked = queries.Filters(
        "compradores", filters.institution.upper(), filters.since, filters.until
    )
    ranked = queries.ranking_for(audience, asked)
    rows = []
    for item in ranked.items:
        named = [
            f"{indicator_words(e['code'])}: {e['contracts']}/{e['of']}"
            for e in item.explanation[:NAMED]
        ]
        rows.append(
            {
                "key": item.key,
                "label": item.label,
                "score": None if item.score is None else round(item.score, 3),
                "contracts": item.details.get("contracts", 0),
                "amount": money(item.amount),
                "why": "; ".join(named) or str(_("ningún indicador levantado")),
            }
        )
    note = _(
        "CRI: índice de riesgo de corrupción, de 0 a 1, media de los contratos de la institución; "
        "«n/m»: n de sus m contratos levantan el indicador."
    )
    if ranked.run is None:
        note = _("Todavía no hay un cálculo de riesgo («besa risk»).")
    return Report(
        slug=SLUG,
        title=_("Ranking de riesgo de las instituciones"),
        public=True,
        as_of=as_of,
        tables=[
            Table(
                "ranking",
                _("Instituciones por índice de riesgo"),
                [
                    Column("label", _("Institución")),
                    Column("score", _("IRC medio"), "score"),
                    Column("contracts", _("Contratos"), "int", summed=True),
                    Column("amount", _("Importe sin IVA"), "money", summed=True),
                    Column("why", _("Indicadores más frecuentes")),
                ],
                rows,
                chart=("label", "score"),
                note=note,
            )
        ],
    )
