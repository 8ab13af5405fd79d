"""The words of the generated forms: every field of every payload model has a title (and the
English translation of it and of its hint), and every code a field accepts has words."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

from django.utils import translation
from django.utils.translation import gettext
from pydantic import BaseModel

from besa.logbook.kinds.payloads import MODELS
from besa.registering import RegistrationRequest
from besa.web.choices import CHOICE_LABELS
from besa.web.forms import unwrap

#: Titles that read the same in both languages.
SAME = {"Total", "Subtotal", "Folio", "SHA-256", "SAT (32-D)", "No"}


def _models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo: list[Any] = [*MODELS.values(), RegistrationRequest]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            tp, _meta, _optional = unwrap(info.annotation)
            inner = get_args(tp)[0] if get_origin(tp) is list else tp
            inner, _meta, _optional = unwrap(inner)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                todo.append(inner)
    return seen


def _codes(annotation: Any) -> set[str]:
    tp, _meta, _optional = unwrap(annotation)
    if get_origin(tp) is list:
        tp, _meta, _optional = unwrap(get_args(tp)[0])
    return {str(v) for v in get_args(tp)} if get_origin(tp) is Literal else set()


def test_every_field_has_a_title_and_an_english_one() -> None:
    with translation.override("en"):
        for model in _models():
            for name, info in model.model_fields.items():
                assert info.title, f"{model.__name__}.{name}"
                for text in filter(None, (info.title, info.description)):
                    assert gettext(text) != text or text in SAME, text


def test_every_code_a_field_accepts_has_words_in_both_languages() -> None:
    codes = {c for model in _models() for info in model.model_fields.values()
             for c in _codes(info.annotation)}  # fmt: skip
    assert codes <= set(CHOICE_LABELS), sorted(codes - set(CHOICE_LABELS))
    with translation.override("en"):
        assert str(CHOICE_LABELS["surety_bond"]) == "Surety bond"
