"""``{{ entry.kind|kind_label }}`` and ``{{ status|status_label }}``: translated labels."""

from django import template

from besa.web.labels import KIND_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def kind_label(code: str) -> str:
    return str(KIND_LABELS.get(code, code))


@register.filter
def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))
