"""Names, in the user's language, of the link kinds that tie suppliers into a network."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: ``besa.risk.drawing.KIND_COLOURS``'s kinds as the network page names them.
LINK_KINDS = {
    "address": _("Domicilio"),
    "phone": _("Teléfono"),
    "email": _("Correo electrónico"),
    "legal_representative": _("Representante legal"),
    "shareholder": _("Accionista"),
    "co_bidding": _("Licitan juntos"),
    "rotation": _("Rotación de ganadores"),
    "met": _("Coinciden en procesos"),
}


def link_kind(kind: str) -> str:
    """The name of a link kind; an unknown kind (from imported data) as it came."""
    return str(LINK_KINDS.get(kind, kind))
