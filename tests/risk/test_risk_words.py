"""Risk indicators and evidence read as words: names for codes, labels for keys, choices named."""

from __future__ import annotations

from django.utils import translation

from besa.risk import words


def test_indicators_and_evidence_are_named_in_the_users_language() -> None:
    found = {
        "procedure_type": "adjudicacion_directa",
        "lists": ["sat_69b: presunto"],
        "rules": ["A04", "A24"],
        "alerts": [{"rule": "A04", "severity": "H", "state": "open"}],
        "days_late": 12,
        "as_of": None,
        "missing": "pef_max_amount (competitive threshold) not recorded",
    }
    with translation.override("es"):
        assert words.indicator("R067") == "Entregas tardías o incumplidas"
        assert dict(words.evidence(found)) == {
            "procedimiento": "Adjudicación directa",
            "listas": "SAT 69-B: presunto",
            "reglas": "A04, A24",
            "alertas": "1",
            "días de atraso": "12",
            "sin dato": "el dato no está registrado",
        }
    with translation.override("en"):
        assert words.indicator("R067") == "Late or failed deliveries"
        assert dict(words.evidence(found))["days late"] == "12"
    assert words.indicator("R999") == "R999"  # an imported code the catalogue lacks
