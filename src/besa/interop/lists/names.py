"""Normalising company names and scoring their similarity, for lists that carry no RFC.

Pure: no Django. ``normalise`` folds what varies between two spellings of one legal name in
Mexican registries (accents, case, punctuation, spacing, the legal-form suffix such as
``S.A. DE C.V.``); ``similarity`` scores two normalised names from 0 to 100 with rapidfuzz's
token-sort ratio, which ignores word order ("GRUPO ACME" / "ACME GRUPO") but not missing or
extra words. A score of 100 means the normalised names are the same words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

#: Name matches scoring at least this are proposed (pending a person's confirmation).
NAME_MATCH_THRESHOLD = 90

#: Legal-form suffixes, as token sequences after ``normalise`` has joined initials
#: ("S. A. DE C. V." → "SA DE CV"). Longest first, stripped repeatedly from the end.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "SA DE CV", "SAB DE CV", "SAPI DE CV", "SAPIB DE CV", "SA", "SAB", "SAPI",
                "S DE RL DE CV", "S DE RL", "SRL DE CV", "SRL", "DE RL DE CV", "DE CV",
                "SC", "SCP", "SCL", "SC DE RL", "SC DE RL DE CV", "SC DE CV", "AC", "IAP",
                "ABP", "SPR DE RL", "SPR DE RI", "SPR DE RL DE CV", "SAS", "SAS DE CV",
                "SOFOM ENR", "SOFOM ER", "SA DE CV SOFOM ENR", "SCS", "SCRL", "SNC",
                "SA DE CV SAPI", "DE CV SOFOM ENR",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip

_DROPPED = re.compile(r"[.'´`’]")  # removed: "S.A." → "SA", "O'HARA" → "OHARA"
_SEPARATORS = re.compile(r"[^A-Z0-9Ñ&]+")


def normalise(name: str) -> str:
    """Upper case without accents (Ñ kept), punctuation dropped, runs of single letters
    joined ("S A" → "SA"), and trailing legal-form suffixes removed. Never empty for a name
    that has any letter or digit, even one made only of a legal form."""
    text = unicodedata.normalize("NFKD", name.upper().replace("Ñ", "\x00"))
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("\x00", "Ñ")
    text = _DROPPED.sub("", text)
    tokens: list[str] = []
    initials = False  # whether tokens[-1] was built from single letters ("S A" → "SA")
    for token in (t for t in _SEPARATORS.split(text) if t):
        single = len(token) == 1 and token.isalpha() and token != "Y"  # "Y" is "and"
        if single and initials:
            tokens[-1] += token
        else:
            tokens.append(token)
            initials = single
    stripped = _strip_legal_form(tokens)
    return " ".join(stripped or tokens)


def _strip_legal_form(tokens: list[str]) -> list[str]:
    changed = True
    while changed and tokens:
        changed = False
        for form in LEGAL_FORMS:
            if len(tokens) > len(form) and tuple(tokens[-len(form) :]) == form:
                tokens = tokens[: -len(form)]
                changed = True
                break
    return tokens


def similarity(a: str, b: str) -> int:
    """Similarity of two normalised names, 0–100 (100: the same words in any order)."""
    return round(fuzz.token_sort_ratio(a, b))


def candidates(
    name: str, choices: Iterable[str], threshold: int = NAME_MATCH_THRESHOLD
) -> list[tuple[str, int]]:
    """The normalised ``choices`` scoring at least ``threshold`` against the normalised
    ``name``, best first (ties in the order given)."""
    found = process.extract(
        name, list(choices), scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
    )
    return [(choice, round(score)) for choice, score, _ in found]
