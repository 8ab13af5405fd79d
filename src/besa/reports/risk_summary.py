"""Report (e, second part): the institutions' risk ranking in words — each institution's mean
corruption-risk index (CRI) over its contracts, and the indicators most often raised, named
in words with how many of its contracts raise them (``besa.risk``'s latest portfolio run).

Public, like the ranking page: institutions only, no contract, supplier or person. Filters:
institution and signing period (the run's stored rows are re-aggregated; nothing is
recomputed); the currency filter does not apply to the ranking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from besa.reports.filters import ReportFilters
from besa.reports.tables import Column, Report, Table, money
from besa.risk import queries
from besa.risk.access import Audience

SLUG = "riesgo"
#: Most indicators named per institution.
NAMED = 3

#: Indicator codes in words (docs/risk.md).
INDICATORS: dict[str, Any] = {
    "R054": _("adjudicación directa que los convenios llevan sobre el umbral competitivo"),
    "R059": _("gran diferencia entre el importe adjudicado y el final"),
    "R060": _("mucho tiempo entre el fallo y la firma"),
    "R064": _("contrato con convenios modificatorios"),
    "R067": _("incumplimiento de entregas"),
    "R068": _("pagos por encima del importe del contrato"),
    "R069": _("convenios que aumentan el precio"),
    "R073": _("entregas que no cumplen lo contratado"),
    "SINGLEB": _("una sola propuesta"),
    "PROC": _("procedimiento no competitivo"),
    "NOCFT": _("sin convocatoria publicada"),
    "SUBMP": _("plazo corto para presentar propuestas"),
    "DECP": _("plazo atípico para decidir"),
    "BENFORD": _("importes que se apartan de la ley de Benford"),
    "SHARE": _("proveedor con gran parte del gasto de la institución"),
    "R003": _("plazo de licitación corto"),
    "R018": _("un solo licitante"),
    "R028": _("propuestas idénticas"),
    "R030": _("ganador que no presentó la propuesta más baja"),
    "R035": _("licitantes descalificados"),
    "R036": _("ganador con el precio más alto"),
    "ALERTS": _("alertas de severidad alta"),
    "NEW_COMPANY": _("proveedor de reciente creación"),
    "LISTED": _("proveedor en listas del SAT o de sancionados"),
    "NETWORK": _("proveedor vinculado con otros"),
    "BIDDING": _("patrones en las licitaciones"),
}


def indicator_words(code: str) -> str:
    found = INDICATORS.get(code)
    return f"{found} ({code})" if found is not None else code


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
