"""An alert in words: its rule, severity, state, subject and evidence as sentences.

Pure: no Django, no database, no clock. Every function takes the language (``"es"`` or
``"en"``) and returns text in that language only; amounts are formatted in their currency and
dates as the locale writes them (Babel). The evidence each rule stores is described in
``besa.rules`` (one ``Finding`` per breach, money and dates as strings): there is one function
per rule here, ``EVIDENCE[code](evidence, lang) -> list of sentences``.

Why not the stored ``summary``: it is one bilingual string written when the alert was raised,
with internal codes (``amount_over_limit``); pages must speak one language, in words.

Every function accepts evidence with keys missing (an older alert, a rule that grew a key):
it says what it can rather than fail, and never prints a key name, ``None`` or a JSON value.
"""

# ruff: noqa: E501 - each sentence stays on one line, whole, so that it reads and greps as shown

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from besa.rules import CATALOGUE

Evidence = Mapping[str, Any]
Sentences = list[str]


# --- language helpers ----------------------------------------------------------------------


def language(code: str | None) -> str:
    """``"en"`` for any English variant, ``"es"`` otherwise (the default)."""
    return "en" if (code or "es").lower().startswith("en") else "es"


def _locale(lang: str) -> str:
    return "en_US" if lang == "en" else "es_MX"


def _t(lang: str, es: str, en: str) -> str:
    return en if lang == "en" else es


def money(value: Any, currency: str | None, lang: str) -> str:
    """``"1234.5"``, ``"MXN"`` → ``$1,234.50``; an unreadable amount → a dash."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    return format_currency(amount, currency or "MXN", locale=_locale(lang))


def number(value: Any, lang: str) -> str:
    """A quantity or percentage as the locale writes it (``10000`` → ``10,000``)."""
    try:
        return format_decimal(Decimal(str(value)), locale=_locale(lang))
    except (InvalidOperation, ValueError):
        return "—"


def date(value: Any, lang: str) -> str:
    """An ISO date or date-time → ``12 de marzo de 2025`` / ``March 12, 2025``."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return "—"
    return format_date(day, format="long", locale=_locale(lang))


def _join(items: Sequence[str], lang: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_t(lang, 'y', 'and')} {items[-1]}"


def _days(n: Any, lang: str, *, business: bool = False, natural: bool = False) -> str:
    """``23 días`` / ``1 day`` / ``5 días hábiles`` / ``20 natural days``."""
    count = int(n or 0)
    if business:
        return (
            _t(lang, f"{count} día hábil", f"{count} business day")
            if count == 1
            else _t(lang, f"{count} días hábiles", f"{count} business days")
        )
    if natural:
        return (
            _t(lang, f"{count} día natural", f"{count} natural day")
            if count == 1
            else _t(lang, f"{count} días naturales", f"{count} natural days")
        )
    return (
        _t(lang, f"{count} día", f"{count} day")
        if count == 1
        else _t(lang, f"{count} días", f"{count} days")
    )


def _late(n: Any, lang: str) -> str:
    return _t(lang, f"{_days(n, lang)} tarde", f"{_days(n, lang)} late")


def _overdue(n: Any, lang: str) -> str:
    """``3 días de atraso`` / ``3 days overdue``: still not done, ``n`` days after its term."""
    return _t(lang, f"{_days(n, lang)} de atraso", f"{_days(n, lang)} overdue")


def _within(n: Any, deadline: Any, lang: str, *, business: bool = False) -> str:
    """A term and its last day: ``en 20 días naturales, a más tardar el 3 de marzo de 2025`` /
    ``within 20 natural days, by March 3, 2025`` (natural days unless ``business``)."""
    days = _days(n, lang, business=business, natural=not business)
    return _t(
        lang,
        f"en {days}, a más tardar el {date(deadline, lang)}",
        f"within {days}, by {date(deadline, lang)}",
    )


# --- names ----------------------------------------------------------------------------------

SEVERITY = {"H": ("Alta", "High"), "M": ("Media", "Medium"), "L": ("Baja", "Low")}

STATE = {
    "open": ("Abierta", "Open"),
    "in_attention": ("En atención", "Being attended"),
    "justified": ("Justificada", "Justified"),
    "corrected": ("Corregida", "Corrected"),
    "resolved": ("Solventada", "Resolved"),
    "not_resolved": ("No solventada", "Not resolved"),
    "referred": ("Turnada a investigación", "Referred to investigation"),
}

ACTION = {
    "opened": ("Abierta por las reglas", "Raised by the rules"),
    "evidence": ("Evidencia actualizada", "Evidence updated"),
    "corrected": (
        "Corregida: los datos que la causaron fueron corregidos",
        "Corrected: the data that caused it was fixed",
    ),
    "attend": ("En atención", "Taken up"),
    "justify": ("Justificada", "Justified"),
    "resolve": ("Solventada", "Resolved"),
    "reject": ("Marcada como no solventada", "Marked not resolved"),
    "refer": ("Turnada a investigación", "Referred to investigation"),
    "escalated:1": (
        "Escalada a la coordinación por falta de atención en el plazo",
        "Escalated to the coordinator: unattended within the deadline",
    ),
    "escalated:2": (
        "Escalada al órgano de fiscalización por falta de atención en el plazo",
        "Escalated to the oversight body: unattended within the deadline",
    ),
}

#: Actions whose stored reason is the system's own bilingual text: shown by the action's name.
SYSTEM_ACTIONS = frozenset({"opened", "evidence", "corrected", "escalated:1", "escalated:2"})

ESCALATION = {
    0: ("Unidad compradora", "Buying unit"),
    1: ("Coordinación (UAF)", "Coordinator (UAF)"),
    2: ("Órgano de fiscalización", "Oversight body"),
}


def _pick(table: Mapping[Any, tuple[str, str]], key: Any, lang: str, default: str = "") -> str:
    pair = table.get(key)
    return default if pair is None else pair[1 if lang == "en" else 0]


def severity_name(code: str, lang: str) -> str:
    return _pick(SEVERITY, code, lang, "—")


def state_name(code: str, lang: str) -> str:
    return _pick(STATE, code, lang, "—")


def action_name(code: str, lang: str) -> str:
    return _pick(ACTION, code, lang, _t(lang, "Cambio", "Change"))


def escalation_name(level: int, lang: str) -> str:
    return _pick(ESCALATION, level, lang, "—")


def system_actor(lang: str) -> str:
    """Who did it when no person did: the rules, the escalation job."""
    return _t(lang, "El sistema", "The system")


def rule_name(code: str, lang: str) -> str:
    rule = CATALOGUE.get(code)
    if rule is None:
        return _t(lang, "Regla desconocida", "Unknown rule")
    return rule.name_en if lang == "en" else rule.name_es


_PARAMETER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
#: Names in the catalogue's trigger texts that are fields, not parameters of a regime.
_FIELDS = {"valid_until": ("vigencia", "validity")}


def rule_description(code: str, lang: str, parameters: Mapping[str, Any] | None = None) -> str:
    """What makes the rule fire (the catalogue's trigger), with the regime's parameter names
    replaced by their values (``delivery_delay_high_days`` → ``30``): a page shows no names
    of settings. A parameter not given is said as "the limit of the regime"."""
    rule = CATALOGUE.get(code)
    if rule is None:
        return ""
    text = rule.trigger_en if lang == "en" else rule.trigger_es
    given = parameters or {}

    def value(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in given and given[name] is not None:
            return number(given[name], lang)
        if name in _FIELDS:
            return _pick(_FIELDS, name, lang)
        return _t(lang, "el límite del régimen", "the regime's limit")

    return _PARAMETER.sub(value, text)


# --- subjects -------------------------------------------------------------------------------


def subject(code: str, evidence: Evidence, lang: str, currency: str | None = None) -> str:
    """What within the contract the alert is about, in words.

    ``deliverable:E4`` → ``entrega E4``; ``payment:<entry>`` → ``pago del 12 de marzo de 2025
    por $1,234.56`` (the entry id is internal: the date and amount come from the evidence).
    """
    kind, _, key = code.partition(":")
    cur = evidence.get("currency") or currency
    if kind == "contract":
        return _t(lang, "el contrato", "the contract")
    if kind == "deliverable":
        return _t(lang, f"entrega {key}", f"delivery {key}")
    if kind == "payment":
        on = evidence.get("payment_date")
        amount = evidence.get("advance_amount") or evidence.get("amount")
        if on and amount:
            return _t(
                lang,
                f"pago del {date(on, lang)} por {money(amount, cur, lang)}",
                f"payment of {money(amount, cur, lang)} on {date(on, lang)}",
            )
        return _t(lang, "un pago", "a payment")
    if kind == "invoice":
        total = evidence.get("total") or evidence.get("invoice_total")
        received = evidence.get("date_received")
        short = key[:8].upper()
        if total and received:
            return _t(
                lang,
                f"CFDI {short}… por {money(total, cur, lang)}, recibido el {date(received, lang)}",
                f"CFDI {short}… for {money(total, cur, lang)}, received on {date(received, lang)}",
            )
        return f"CFDI {short}…"
    if kind == "guarantee":
        policy = evidence.get("policy_number") or key
        return _t(lang, f"garantía (póliza {policy})", f"guarantee (policy {policy})")
    if kind == "supplier":
        name = evidence.get("supplier_name")
        return _t(lang, "proveedor", "supplier") + (f" {name} (RFC {key})" if name else f" {key}")
    if kind == "amendment":
        return _t(lang, f"convenio modificatorio {key}", f"amendment {key}")
    if kind == "audit_request":
        on = evidence.get("sent_on")
        if on:
            return _t(
                lang,
                f"requerimiento de auditoría del {date(on, lang)}",
                f"audit request of {date(on, lang)}",
            )
        return _t(lang, "requerimiento de auditoría", "audit request")
    if kind == "second_rescission":
        name = evidence.get("supplier_name")
        who = f"{name} (RFC {key})" if name else f"RFC {key}"
        return _t(
            lang, f"segunda rescisión del proveedor {who}", f"second rescission of supplier {who}"
        )
    if kind == "rescission":
        on = evidence.get("notice_date")
        return _t(lang, "rescisión notificada el ", "rescission notified on ") + date(on, lang)
    if kind in ("penalty", "deduction"):
        noun = (
            _t(lang, "pena", "penalty") if kind == "penalty" else _t(lang, "deducción", "deduction")
        )
        on, amount = evidence.get("date"), evidence.get("amount")
        if on and amount:
            return _t(
                lang,
                f"{noun} del {date(on, lang)} por {money(amount, cur, lang)}",
                f"{noun} of {money(amount, cur, lang)} on {date(on, lang)}",
            )
        return noun
    if kind == "budget":
        return _pick(
            {
                "timing": ("fecha de la suficiencia presupuestaria", "budget sufficiency date"),
                "amount": ("monto de la suficiencia presupuestaria", "budget sufficiency amount"),
                "multiyear": ("autorización plurianual", "multiyear authorisation"),
            },
            key,
            lang,
            _t(lang, "suficiencia presupuestaria", "budget sufficiency"),
        )
    return _t(lang, "el contrato", "the contract")


# --- evidence, one function per rule --------------------------------------------------------


def _a01(e: Evidence, lang: str) -> Sentences:
    out = []
    if e.get("signing_date"):
        out.append(
            _t(lang, "Firmado el ", "Signed on ")
            + date(e["signing_date"], lang)
            + (
                _t(
                    lang,
                    f"; debía registrarse {_within(e['registration_business_days'], e.get('deadline'), lang, business=True)}.",
                    f"; it had to be registered {_within(e['registration_business_days'], e.get('deadline'), lang, business=True)}.",
                )
                if e.get("registration_business_days") is not None
                else "."
            )
        )
    if e.get("published"):
        out.append(
            _t(
                lang,
                f"Se publicó en CompraNet/ComprasMX y llegó a BESA por importación el {date(e.get('imported_on'), lang)}.",
                f"It was published in CompraNet/ComprasMX and reached BESA by import on {date(e.get('imported_on'), lang)}.",
            )
        )
    late = e.get("business_days_late", 0)
    if e.get("registered_on") and e.get("published"):
        out.append(
            _t(
                lang,
                f"La unidad compradora confirmó su registro el {date(e['registered_on'], lang)}: {_days(late, lang, business=True)} tarde.",
                f"The buying unit confirmed its registration on {date(e['registered_on'], lang)}: {_days(late, lang, business=True)} late.",
            )
        )
    elif e.get("registered_on"):
        out.append(
            _t(
                lang,
                f"Registrado el {date(e['registered_on'], lang)}: {_days(late, lang, business=True)} tarde.",
                f"Registered on {date(e['registered_on'], lang)}: {_days(late, lang, business=True)} late.",
            )
        )
    elif e.get("published"):
        out.append(
            _t(
                lang,
                "La unidad compradora no ha confirmado su registro.",
                "The buying unit has not confirmed its registration.",
            )
        )
    else:
        out.append(_t(lang, "No se ha registrado en BESA.", "It has not been registered in BESA."))
    return out


_LIMIT_IS = {
    "award_date": ("del fallo", "the award"),
    "signing_date": ("de la firma", "the signing"),
}


def _a02(e: Evidence, lang: str) -> Sentences:
    if "sufficiency_total" in e:
        cur = e.get("currency")
        vat = _t(lang, " con IVA", " including VAT") if e.get("includes_vat") else ""
        return [
            _t(
                lang,
                f"La suficiencia presupuestaria suma {money(e['sufficiency_total'], cur, lang)}; el contrato requiere {money(e.get('required_amount'), cur, lang)}{vat}.",
                f"The budget sufficiency adds up to {money(e['sufficiency_total'], cur, lang)}; the contract needs {money(e.get('required_amount'), cur, lang)}{vat}.",
            ),
            _t(lang, "Faltan ", "Short by ") + money(e.get("shortfall"), cur, lang) + ".",
        ]
    if "authorizations" in e:
        signed = date(e.get("signing_date"), lang)
        if e.get("problem") == "late":
            dates = _join([date(a.get("date"), lang) for a in e["authorizations"]], lang)
            return [
                _t(
                    lang,
                    f"Contrato plurianual firmado el {signed}; la autorización de la SHCP es posterior ({dates}).",
                    f"Multiyear contract signed on {signed}; the SHCP authorisation came later ({dates}).",
                )
            ]
        return [
            _t(
                lang,
                f"Contrato plurianual firmado el {signed} sin autorización plurianual de la SHCP.",
                f"Multiyear contract signed on {signed} with no SHCP multiyear authorisation.",
            )
        ]
    limit = date(e.get("limit"), lang)
    moment = _pick(_LIMIT_IS, e.get("limit_is"), lang, _t(lang, "de la firma", "the signing"))
    if e.get("problem") == "late":
        return [
            _t(
                lang,
                f"Suficiencia presupuestaria (oficio {e.get('oficio_number', '—')}) del {date(e.get('sufficiency_date'), lang)}: {_days(e.get('days_after_limit'), lang)} después {moment}, el {limit}.",
                f"Budget sufficiency (letter {e.get('oficio_number', '—')}) dated {date(e.get('sufficiency_date'), lang)}: {_days(e.get('days_after_limit'), lang)} after {moment}, on {limit}.",
            )
        ]
    return [
        _t(
            lang,
            f"No hay suficiencia presupuestaria registrada; debía existir antes {moment}, el {limit}.",
            f"No budget sufficiency is recorded; it was needed before {moment}, on {limit}.",
        )
    ]


def _a03(e: Evidence, lang: str) -> Sentences:
    return [
        _t(
            lang,
            f"Fallo el {date(e.get('award_date'), lang)}; el contrato debía firmarse {_within(e.get('formalisation_days'), e.get('deadline'), lang)}.",
            f"Awarded on {date(e.get('award_date'), lang)}; the contract had to be signed {_within(e.get('formalisation_days'), e.get('deadline'), lang)}.",
        ),
        _t(lang, "Firmado el ", "Signed on ")
        + f"{date(e.get('signing_date'), lang)}: {_late(e.get('days_late'), lang)}.",
    ]


def _a04(e: Evidence, lang: str) -> Sentences:
    out = [
        _t(
            lang,
            f"Firmado el {date(e.get('signing_date'), lang)}; la garantía de cumplimiento debía entregarse {_within(e.get('performance_guarantee_days'), e.get('deadline'), lang)}.",
            f"Signed on {date(e.get('signing_date'), lang)}; the performance guarantee was due {_within(e.get('performance_guarantee_days'), e.get('deadline'), lang)}.",
        )
    ]
    if e.get("problem") == "late":
        what = (
            _t(lang, "La excepción de garantía se registró", "The guarantee exemption was recorded")
            if e.get("exemption")
            else _t(lang, "La garantía se recibió", "The guarantee was received")
        )
        on = date(e.get("date_received"), lang)
        out.append(f"{what} {_t(lang, 'el', 'on')} {on}: {_late(e.get('days_late'), lang)}.")
    else:
        out.append(
            _t(
                lang,
                f"Al {date(e.get('as_of'), lang)} no se ha recibido: {_overdue(e.get('days_overdue'), lang)}.",
                f"As of {date(e.get('as_of'), lang)} it has not been received: {_overdue(e.get('days_overdue'), lang)}.",
            )
        )
    return out


def _a05(e: Evidence, lang: str) -> Sentences:
    out = []
    cur = e.get("currency")
    problems = e.get("problems") or ()
    if "amount" in problems:
        out.append(
            _t(
                lang,
                f"Las garantías cubren {money(e.get('guaranteed_amount'), cur, lang)}; se requiere el {number(e.get('required_percent'), lang)} % de {money(e.get('contract_base_amount'), cur, lang)}, es decir {money(e.get('required_amount'), cur, lang)}: faltan {money(e.get('shortfall'), cur, lang)}.",
                f"The guarantees cover {money(e.get('guaranteed_amount'), cur, lang)}; {number(e.get('required_percent'), lang)} % of {money(e.get('contract_base_amount'), cur, lang)} is required, that is {money(e.get('required_amount'), cur, lang)}: short by {money(e.get('shortfall'), cur, lang)}.",
            )
        )
    if "validity" in problems:
        out.append(
            _t(
                lang,
                f"La garantía vence el {date(e.get('valid_until'), lang)}, antes del fin del contrato el {date(e.get('contract_end_date'), lang)}.",
                f"The guarantee expires on {date(e.get('valid_until'), lang)}, before the contract ends on {date(e.get('contract_end_date'), lang)}.",
            )
        )
    if "beneficiary" in problems:
        out.append(
            _t(
                lang,
                f"El beneficiario es «{e.get('beneficiary')}»; debía ser «{e.get('expected_beneficiary')}».",
                f"The beneficiary is “{e.get('beneficiary')}”; it should be “{e.get('expected_beneficiary')}”.",
            )
        )
    return out


def _a06(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    out = [
        _t(
            lang,
            f"Anticipo de {money(e.get('advance_amount'), cur, lang)} pagado el {date(e.get('payment_date'), lang)}; anticipos pagados a esa fecha: {money(e.get('advances_paid_to_date'), cur, lang)}.",
            f"Advance of {money(e.get('advance_amount'), cur, lang)} paid on {date(e.get('payment_date'), lang)}; advances paid by then: {money(e.get('advances_paid_to_date'), cur, lang)}.",
        )
    ]
    if e.get("problem") == "before_guarantee":
        out.append(
            _t(
                lang,
                "Se pagó antes de recibir la garantía de anticipo.",
                "It was paid before the advance guarantee was received.",
            )
        )
    else:
        out.append(
            _t(
                lang,
                f"La garantía de anticipo cubre solo {money(e.get('guaranteed_amount'), cur, lang)}.",
                f"The advance guarantee covers only {money(e.get('guaranteed_amount'), cur, lang)}.",
            )
        )
    return out


def _a07(e: Evidence, lang: str) -> Sentences:
    key = e.get("deliverable_id", "")
    due = date(e.get("due_date"), lang)
    if e.get("delivered_on"):
        return [
            _t(
                lang,
                f"La entrega {key} vencía el {due}; se recibió completa el {date(e['delivered_on'], lang)}: {_late(e.get('days_late'), lang)}.",
                f"Delivery {key} was due on {due}; it was fully received on {date(e['delivered_on'], lang)}: {_late(e.get('days_late'), lang)}.",
            )
        ]
    out = [
        _t(
            lang,
            f"La entrega {key} vencía el {due}; al {date(e.get('as_of'), lang)} se han aceptado {number(e.get('accepted_quantity', 0), lang)} de {number(e.get('quantity'), lang)}: {_overdue(e.get('days_late'), lang)}.",
            f"Delivery {key} was due on {due}; as of {date(e.get('as_of'), lang)}, {number(e.get('accepted_quantity', 0), lang)} of {number(e.get('quantity'), lang)} have been accepted: {_overdue(e.get('days_late'), lang)}.",
        )
    ]
    ended = e.get("obligations_ended")
    if isinstance(ended, Mapping) and ended.get("on"):
        out.append(
            _t(lang, "Las obligaciones terminaron el ", "The obligations ended on ")
            + date(ended["on"], lang)
            + "."
        )
    return out


_RESULT = {
    "accepted": ("aceptada", "accepted"),
    "partial": ("aceptada en parte", "partly accepted"),
    "rejected": ("rechazada", "rejected"),
    "deficient": ("deficiente", "deficient"),
}


def _a08(e: Evidence, lang: str) -> Sentences:
    key = e.get("deliverable_id", "")
    out = [
        _t(
            lang,
            f"La entrega {key} (vence el {date(e.get('due_date'), lang)}) lleva {number(e.get('accepted_quantity', 0), lang)} de {number(e.get('quantity'), lang)} aceptadas.",
            f"Delivery {key} (due on {date(e.get('due_date'), lang)}) has {number(e.get('accepted_quantity', 0), lang)} of {number(e.get('quantity'), lang)} accepted.",
        )
    ]
    for r in e.get("receptions") or ():
        result = _pick(_RESULT, r.get("result"), lang, _t(lang, "con problemas", "with problems"))
        reason = f" ({r['reason']})" if r.get("reason") else ""
        out.append(
            _t(
                lang,
                f"El {date(r.get('date'), lang)} se recibieron {number(r.get('quantity_received'), lang)} y se aceptaron {number(r.get('quantity_accepted'), lang)}: {result}{reason}.",
                f"On {date(r.get('date'), lang)}, {number(r.get('quantity_received'), lang)} were received and {number(r.get('quantity_accepted'), lang)} accepted: {result}{reason}.",
            )
        )
    if e.get("short_quantity"):
        out.append(
            _t(
                lang,
                f"Ya venció y faltan {number(e['short_quantity'], lang)}.",
                f"It is past due and {number(e['short_quantity'], lang)} are missing.",
            )
        )
    return out


def _unwithheld(e: Evidence, lang: str, noun_es: str, noun_en: str) -> Sentences:
    cur = e.get("currency")
    payment = e.get("due_in_payment") or {}
    return [
        _t(
            lang,
            f"La {noun_es} de {money(e.get('amount'), cur, lang)} del {date(e.get('date'), lang)} debía retenerse en el pago del {date(payment.get('date'), lang)}.",
            f"The {noun_en} of {money(e.get('amount'), cur, lang)} of {date(e.get('date'), lang)} had to be withheld from the payment of {date(payment.get('date'), lang)}.",
        ),
        _t(
            lang,
            f"Se adeudan {money(e.get('owed_to_date'), cur, lang)} y se han retenido {money(e.get('withheld_total'), cur, lang)}.",
            f"{money(e.get('owed_to_date'), cur, lang)} is owed and {money(e.get('withheld_total'), cur, lang)} has been withheld.",
        ),
    ]


def _a09(e: Evidence, lang: str) -> Sentences:
    if "due_in_payment" in e:
        return _unwithheld(e, lang, "pena", "penalty")
    cur = e.get("currency")
    key = e.get("deliverable_id", "")
    out = [
        _t(
            lang,
            f"La entrega {key} vencía el {date(e.get('due_date'), lang)} y se aceptó el {date(e.get('accepted_on'), lang)}: {_late(e.get('days_late'), lang)}.",
            f"Delivery {key} was due on {date(e.get('due_date'), lang)} and accepted on {date(e.get('accepted_on'), lang)}: {_late(e.get('days_late'), lang)}.",
        )
    ]
    if e.get("amount_unknown") or e.get("calculated_amount") is None:
        out.append(
            _t(
                lang,
                f"No se registró pena; con la pena del {number(e.get('daily_rate_percent'), lang)} % diario, su importe no se puede calcular porque falta el valor de la entrega.",
                f"No penalty was recorded; at {number(e.get('daily_rate_percent'), lang)} % a day its amount cannot be calculated because the delivery's value is missing.",
            )
        )
        return out
    out.append(
        _t(
            lang,
            f"Pena del {number(e.get('daily_rate_percent'), lang)} % diario sobre {money(e.get('late_value'), cur, lang)}: {money(e.get('calculated_amount'), cur, lang)}; aplicada: {money(e.get('applied_amount'), cur, lang)}; faltan {money(e.get('shortfall'), cur, lang)}.",
            f"Penalty of {number(e.get('daily_rate_percent'), lang)} % a day on {money(e.get('late_value'), cur, lang)}: {money(e.get('calculated_amount'), cur, lang)}; applied: {money(e.get('applied_amount'), cur, lang)}; short by {money(e.get('shortfall'), cur, lang)}.",
        )
    )
    return out


_CAP_BASIS = {
    "guarantee": ("el monto de la garantía de cumplimiento", "the performance guarantee's amount"),
    "exempt": (
        "el porcentaje del valor entregado con atraso (garantía exceptuada)",
        "the share of the value delivered late (guarantee exempted)",
    ),
    "required_guarantee": (
        "la garantía que el contrato exige",
        "the guarantee the contract requires",
    ),
}


def _a10(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    basis = _pick(_CAP_BASIS, e.get("cap_basis"), lang, "")
    return [
        _t(
            lang,
            f"Las penas suman {money(e.get('penalties_total'), cur, lang)} y alcanzaron el tope de {money(e.get('cap'), cur, lang)} ({basis}) el {date(e.get('reached_on'), lang)}.",
            f"Penalties add up to {money(e.get('penalties_total'), cur, lang)} and reached the cap of {money(e.get('cap'), cur, lang)} ({basis}) on {date(e.get('reached_on'), lang)}.",
        ),
        _t(
            lang,
            f"Debía decidirse la rescisión o la terminación {_within(e.get('penalty_cap_decision_days'), e.get('decision_deadline'), lang)}; no hay decisión registrada.",
            f"Rescission or termination had to be decided {_within(e.get('penalty_cap_decision_days'), e.get('decision_deadline'), lang)}; no decision is recorded.",
        ),
    ]


def _a11(e: Evidence, lang: str) -> Sentences:
    if "due_in_payment" in e:
        return _unwithheld(e, lang, "deducción", "deduction")
    key = e.get("deliverable_id", "")
    out = [
        _t(
            lang,
            f"La entrega {key} se recibió con problemas el {date(e.get('first_reception_date'), lang)} y no se registró deducción.",
            f"Delivery {key} was received with problems on {date(e.get('first_reception_date'), lang)} and no deduction was recorded.",
        )
    ]
    for r in e.get("receptions") or ():
        result = _pick(_RESULT, r.get("result"), lang, "")
        out.append(
            _t(
                lang,
                f"Recepción del {date(r.get('date'), lang)}: {result}.",
                f"Reception of {date(r.get('date'), lang)}: {result}.",
            )
        )
    return out


def _a12(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    received = e.get("date_received")
    out = [
        _t(
            lang,
            f"CFDI por {money(e.get('total'), cur, lang)} recibido el {date(received, lang)}; el plazo de pago es de {_days(e.get('payment_days'), lang, natural=True)} y vencía el {date(e.get('due_date'), lang)}.",
            f"CFDI for {money(e.get('total'), cur, lang)} received on {date(received, lang)}; the payment term is {_days(e.get('payment_days'), lang, natural=True)} and it was due on {date(e.get('due_date'), lang)}.",
        )
    ]
    if e.get("paused_days"):
        out.append(
            _t(
                lang,
                f"El plazo se detuvo {_days(e['paused_days'], lang)} por un escrito de deficiencias.",
                f"The term was paused for {_days(e['paused_days'], lang)} by a deficiency letter.",
            )
        )
    if e.get("status") == "unpaid" or not e.get("payment_date"):
        out.append(
            _t(
                lang,
                f"Sin pagar al {date(e.get('as_of'), lang)}: {_days(e.get('days_late'), lang)} vencido.",
                f"Unpaid as of {date(e.get('as_of'), lang)}: {_days(e.get('days_late'), lang)} overdue.",
            )
        )
    else:
        after = _days_between(received, e["payment_date"])
        since = (
            _t(
                lang,
                f", {_days(after, lang)} después de recibir el CFDI",
                f", {_days(after, lang)} after the CFDI was received",
            )
            if after is not None
            else ""
        )
        out.append(
            _t(
                lang,
                f"Pagado el {date(e['payment_date'], lang)}{since}: {_late(e.get('days_late'), lang)}.",
                f"Paid on {date(e['payment_date'], lang)}{since}: {_late(e.get('days_late'), lang)}.",
            )
        )
    return out


def _days_between(start: Any, end: Any) -> int | None:
    try:
        return (dt.date.fromisoformat(str(end)[:10]) - dt.date.fromisoformat(str(start)[:10])).days
    except ValueError:
        return None


def _a13(e: Evidence, lang: str) -> Sentences:
    cur, home = e.get("currency"), e.get("contract_currency") or e.get("currency")
    kind = _t(lang, "Anticipo", "Advance") if e.get("is_advance") else _t(lang, "Pago", "Payment")
    out = [
        _t(
            lang,
            f"{kind} de {money(e.get('amount'), cur, lang)} del {date(e.get('payment_date'), lang)}.",
            f"{kind} of {money(e.get('amount'), cur, lang)} on {date(e.get('payment_date'), lang)}.",
        )
    ]
    breaches = e.get("breaches") or ()
    if "advance_not_agreed" in breaches:
        out.append(_t(lang, "El contrato no pacta anticipo.", "The contract agrees no advance."))
    if "advance_above_agreed" in breaches:
        out.append(
            _t(
                lang,
                f"Anticipos pagados sin IVA: {money(e.get('advances_paid_without_vat'), home, lang)}; pactado: {number(e.get('advance_percent'), lang)} %, {money(e.get('advance_agreed'), home, lang)}.",
                f"Advances paid without VAT: {money(e.get('advances_paid_without_vat'), home, lang)}; agreed: {number(e.get('advance_percent'), lang)} %, {money(e.get('advance_agreed'), home, lang)}.",
            )
        )
    if "unaccepted_deliverable" in breaches:
        names = _join([str(d) for d in e.get("unaccepted_deliverables") or ()], lang)
        out.append(
            _t(
                lang,
                f"Paga entregas aún no aceptadas: {names}.",
                f"It pays for deliveries not yet accepted: {names}.",
            )
        )
    if "paid_beyond_accepted" in breaches:
        out.append(
            _t(
                lang,
                f"Pagado a la fecha sin IVA: {money(e.get('paid_to_date_without_vat'), home, lang)}; aceptado: {money(e.get('accepted_to_date'), home, lang)}; anticipo pactado: {money(e.get('advance_agreed'), home, lang)}: {money(e.get('excess'), home, lang)} de más.",
                f"Paid to date without VAT: {money(e.get('paid_to_date_without_vat'), home, lang)}; accepted: {money(e.get('accepted_to_date'), home, lang)}; advance agreed: {money(e.get('advance_agreed'), home, lang)}: {money(e.get('excess'), home, lang)} too much.",
            )
        )
    return out


def _a14(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    if "invoice_total" not in e:
        return [
            _t(
                lang,
                f"Pagado sin IVA en {e.get('payments', 0)} pagos: {money(e.get('paid_without_vat'), cur, lang)}; el monto del contrato es {money(e.get('contract_amount'), cur, lang)}: {money(e.get('excess'), cur, lang)} de más.",
                f"Paid without VAT in {e.get('payments', 0)} payments: {money(e.get('paid_without_vat'), cur, lang)}; the contract amount is {money(e.get('contract_amount'), cur, lang)}: {money(e.get('excess'), cur, lang)} too much.",
            )
        ]
    out = [
        _t(
            lang,
            f"El CFDI suma {money(e['invoice_total'], cur, lang)} y se le pagaron {money(e.get('paid'), cur, lang)}.",
            f"The CFDI totals {money(e['invoice_total'], cur, lang)} and {money(e.get('paid'), cur, lang)} was paid for it.",
        )
    ]
    breaches = e.get("breaches") or ()
    if "paid_twice" in breaches:
        dates = _join([date(d, lang) for d in e.get("payment_dates") or ()], lang)
        out.append(
            _t(
                lang,
                f"Es de pago en una sola exhibición y se pagó varias veces: {dates}.",
                f"It is payable in one instalment and was paid several times: {dates}.",
            )
        )
    if "paid_above_total" in breaches:
        out.append(
            _t(lang, "Pagado de más: ", "Paid too much: ") + money(e.get("excess"), cur, lang) + "."
        )
    return out


_A15 = {
    "sat_cancelled": ("El SAT lo reporta cancelado.", "The SAT reports it cancelled."),
    "sat_not_found": ("El SAT no lo encuentra.", "The SAT cannot find it."),
    "sat_unknown": (
        "El SAT no pudo confirmar su estado.",
        "The SAT could not confirm its status.",
    ),
}


def _a15(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    out = [
        _t(
            lang,
            f"CFDI emitido el {date(e.get('issue_date'), lang)} por {money(e.get('total'), cur, lang)}.",
            f"CFDI issued on {date(e.get('issue_date'), lang)} for {money(e.get('total'), cur, lang)}.",
        )
    ]
    for breach in e.get("breaches") or ():
        if breach in _A15:
            checked = e.get("sat_status_checked_on")
            line = _pick(_A15, breach, lang)
            if checked:
                line = line[:-1] + _t(
                    lang,
                    f" (consulta del {date(checked, lang)}).",
                    f" (checked on {date(checked, lang)}).",
                )
            out.append(line)
        elif breach == "issuer_not_supplier":
            out.append(
                _t(
                    lang,
                    f"Lo emite el RFC {e.get('issuer_rfc')}, que no es proveedor del contrato ({_join(list(e.get('supplier_rfcs') or ()), lang)}).",
                    f"It is issued by RFC {e.get('issuer_rfc')}, not a supplier of the contract ({_join(list(e.get('supplier_rfcs') or ()), lang)}).",
                )
            )
        elif breach == "receiver_not_buyer":
            out.append(
                _t(
                    lang,
                    f"Lo recibe el RFC {e.get('receiver_rfc')}; la institución compradora es {e.get('buyer_rfc')}.",
                    f"It is made out to RFC {e.get('receiver_rfc')}; the buying institution is {e.get('buyer_rfc')}.",
                )
            )
        elif breach == "total_mismatch":
            out.append(
                _t(
                    lang,
                    f"Su total no cuadra: subtotal menos descuentos más impuestos da {money(e.get('expected_total'), cur, lang)}.",
                    f"Its total does not add up: subtotal less discounts plus taxes gives {money(e.get('expected_total'), cur, lang)}.",
                )
            )
        elif breach == "issued_before_delivery":
            out.append(
                _t(
                    lang,
                    "Se emitió antes de recibir lo que factura.",
                    "It was issued before what it bills was received.",
                )
            )
    return out


_LIST = {
    "sat_69b": (
        "la lista del artículo 69-B del CFF (operaciones simuladas)",
        "the CFF article 69-B list (simulated transactions)",
    ),
    "sat_69": ("la lista del artículo 69 del CFF", "the CFF article 69 list"),
    "sat_69_firmes": (
        "la lista del artículo 69 del CFF (créditos firmes)",
        "the CFF article 69 list (firm tax debts)",
    ),
    "sat_69_exigibles": (
        "la lista del artículo 69 del CFF (créditos exigibles)",
        "the CFF article 69 list (enforceable tax debts)",
    ),
    "sat_69_no_localizados": (
        "la lista del artículo 69 del CFF (no localizados)",
        "the CFF article 69 list (not located)",
    ),
    "sat_69_cancelados": (
        "la lista del artículo 69 del CFF (créditos cancelados)",
        "the CFF article 69 list (cancelled tax debts)",
    ),
    "sat_69_sentencias": (
        "la lista del artículo 69 del CFF (sentencias condenatorias)",
        "the CFF article 69 list (criminal sentences)",
    ),
    "sat_69_entes_omisos": (
        "la lista del artículo 69 del CFF (entes públicos omisos)",
        "the CFF article 69 list (public bodies in default)",
    ),
    "sat_69_csd": (
        "la lista del artículo 69 del CFF (certificados de sello sin efecto)",
        "the CFF article 69 list (seal certificates revoked)",
    ),
    "sanctions": ("el directorio de proveedores sancionados", "the sanctioned suppliers directory"),
}
_MOMENT = {
    "at_signing": ("ya al firmar el contrato", "already when the contract was signed"),
    "during_execution": ("durante la ejecución", "during execution"),
}


def _supplier(e: Evidence, lang: str) -> str:
    name = e.get("supplier_name")
    return f"{name} (RFC {e.get('rfc')})" if name else f"RFC {e.get('rfc')}"


def _a16(e: Evidence, lang: str) -> Sentences:
    out = []
    for item in e.get("listings") or ():
        where = _pick(_LIST, item.get("list"), lang, _t(lang, "una lista del SAT", "a SAT list"))
        status = f" «{item['status']}»" if item.get("status") else ""
        published = (
            _t(
                lang,
                f", publicado el {date(item['published'], lang)}",
                f", published on {date(item['published'], lang)}",
            )
            if item.get("published")
            else ""
        )
        moment = _pick(_MOMENT, item.get("moment"), lang, "")
        out.append(
            _t(
                lang,
                f"El proveedor {_supplier(e, lang)} aparece en {where}{status}{published}, {moment}.",
                f"Supplier {_supplier(e, lang)} is on {where}{status}{published}, {moment}.",
            )
        )
    invoices = e.get("invoices_after_listing") or ()
    if invoices:
        out.append(
            _t(
                lang,
                f"CFDI emitidos desde su publicación: {len(invoices)}.",
                f"CFDIs issued since it was published: {len(invoices)}.",
            )
        )
    return out


_SOURCE = {
    "sat_32d": ("del SAT (32-D)", "from the SAT (32-D)"),
    "imss": ("del IMSS", "from the IMSS"),
    "infonavit": ("del INFONAVIT", "from INFONAVIT"),
}


def _a17(e: Evidence, lang: str) -> Sentences:
    signed = date(e.get("signing_date"), lang)
    out = []
    for p in e.get("problems") or ():
        source = _pick(_SOURCE, p.get("source"), lang, "")
        problem = p.get("problem")
        if problem == "missing":
            out.append(
                _t(
                    lang,
                    f"No hay opinión de cumplimiento {source} anterior a la firma ({signed}).",
                    f"No compliance opinion {source} dated before the signing ({signed}).",
                )
            )
        elif problem == "negative":
            out.append(
                _t(
                    lang,
                    f"La opinión de cumplimiento {source} del {date(p.get('date'), lang)} es negativa.",
                    f"The compliance opinion {source} of {date(p.get('date'), lang)} is negative.",
                )
            )
        else:
            out.append(
                _t(
                    lang,
                    f"La opinión de cumplimiento {source} del {date(p.get('date'), lang)} venció el {date(p.get('valid_until'), lang)}, antes de la firma ({signed}).",
                    f"The compliance opinion {source} of {date(p.get('date'), lang)} expired on {date(p.get('valid_until'), lang)}, before the signing ({signed}).",
                )
            )
    if out:
        out.insert(0, _t(lang, "Proveedor ", "Supplier ") + _supplier(e, lang) + ".")
    return out


_WHEN = {"award": ("el fallo", "the award"), "signing": ("la firma", "the signing")}


def _a18(e: Evidence, lang: str) -> Sentences:
    out = []
    for s in e.get("sanctions") or ():
        span = (
            _t(lang, f"del {date(s['start'], lang)}", f"from {date(s['start'], lang)}")
            if s.get("start")
            else ""
        )
        if s.get("end"):
            span += _t(lang, f" al {date(s['end'], lang)}", f" to {date(s['end'], lang)}")
        moments = _join([_pick(_WHEN, m, lang, "") for m in s.get("in_force_on") or ()], lang)
        out.append(
            _t(
                lang,
                f"El proveedor {_supplier(e, lang)} está inhabilitado {span}; la inhabilitación estaba vigente en {moments}.",
                f"Supplier {_supplier(e, lang)} is debarred {span}; the debarment was in force at {moments}.",
            )
        )
    return out


def _a19(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    if "days_after_expiry" in e:
        return [
            _t(
                lang,
                f"El convenio {e.get('amendment_id')} se firmó el {date(e.get('signing_date'), lang)}, {_days(e['days_after_expiry'], lang)} después de que venció el contrato ({date(e.get('end_date_in_force'), lang)}).",
                f"Amendment {e.get('amendment_id')} was signed on {date(e.get('signing_date'), lang)}, {_days(e['days_after_expiry'], lang)} after the contract expired ({date(e.get('end_date_in_force'), lang)}).",
            )
        ]
    if "original_unit_price" in e:
        return [
            _t(
                lang,
                f"El precio unitario de la entrega {e.get('deliverable_id')} cambió de {money(e['original_unit_price'], cur, lang)} a {money(e.get('new_unit_price'), cur, lang)}.",
                f"The unit price of delivery {e.get('deliverable_id')} changed from {money(e['original_unit_price'], cur, lang)} to {money(e.get('new_unit_price'), cur, lang)}.",
            )
        ]
    out = []
    breaches = e.get("breaches") or ()
    limit = number(e.get("amendment_max_percent"), lang)
    if "amount_over_limit" in breaches:
        out.append(
            _t(
                lang,
                f"Los convenios aumentan el monto en {money(e.get('amount_increase'), cur, lang)}, el {number(e.get('amount_increase_percent'), lang)} % de {money(e.get('original_amount'), cur, lang)}; el límite es {limit} %.",
                f"The amendments raise the amount by {money(e.get('amount_increase'), cur, lang)}, {number(e.get('amount_increase_percent'), lang)} % of {money(e.get('original_amount'), cur, lang)}; the limit is {limit} %.",
            )
        )
    if "quantity_over_limit" in breaches:
        out.append(
            _t(
                lang,
                f"Los convenios aumentan la cantidad en {number(e.get('quantity_increase_percent'), lang)} %; el límite es {limit} %.",
                f"The amendments raise the quantity by {number(e.get('quantity_increase_percent'), lang)} %; the limit is {limit} %.",
            )
        )
    if "too_many_extensions" in breaches:
        out.append(
            _t(
                lang,
                f"El plazo se amplió {len(e.get('term_extensions') or ())} veces; se permiten {e.get('term_extension_max_count')}.",
                f"The term was extended {len(e.get('term_extensions') or ())} times; {e.get('term_extension_max_count')} are allowed.",
            )
        )
    if "extensions_over_term" in breaches:
        out.append(
            _t(
                lang,
                f"Las ampliaciones suman {_days(e.get('extension_days'), lang)} sobre un plazo original de {_days(e.get('original_term_days'), lang)}; el límite es {number(e.get('term_extension_max_percent'), lang)} %.",
                f"The extensions add {_days(e.get('extension_days'), lang)} to an original term of {_days(e.get('original_term_days'), lang)}; the limit is {number(e.get('term_extension_max_percent'), lang)} %.",
            )
        )
    return out


def _a20(e: Evidence, lang: str) -> Sentences:
    by = (
        _t(lang, "por terminación anticipada", "by early termination")
        if e.get("ended_by") == "early_termination"
        else _t(lang, "al concluir su plazo", "at the end of its term")
    )
    out = [
        _t(
            lang,
            f"El contrato terminó el {date(e.get('end_date'), lang)} {by}; el finiquito debía hacerse {_within(e.get('closure_days'), e.get('deadline'), lang)}.",
            f"The contract ended on {date(e.get('end_date'), lang)} {by}; the settlement was due {_within(e.get('closure_days'), e.get('deadline'), lang)}.",
        )
    ]
    breaches = e.get("breaches") or ()
    if "no_closure" in breaches:
        out.append(
            _t(
                lang,
                f"Sin finiquito al {date(e.get('as_of'), lang)}: {_overdue(e.get('days_overdue'), lang)}.",
                f"No settlement as of {date(e.get('as_of'), lang)}: {_overdue(e.get('days_overdue'), lang)}.",
            )
        )
    if "guarantees_held" in breaches:
        out.append(
            _t(
                lang,
                f"Finiquito del {date(e.get('closure_date'), lang)}; las garantías debían liberarse a más tardar el {date(e.get('release_deadline'), lang)} y siguen retenidas.",
                f"Settled on {date(e.get('closure_date'), lang)}; the guarantees had to be released by {date(e.get('release_deadline'), lang)} and are still held.",
            )
        )
    deliverables = e.get("open_deliverables") or ()
    invoices = e.get("unpaid_invoices") or ()
    if deliverables:
        out.append(
            _t(lang, "Entregas pendientes: ", "Deliveries outstanding: ")
            + _join([str(_id_of(d)) for d in deliverables], lang)
            + "."
        )
    if invoices:
        out.append(_t(lang, f"CFDI sin pagar: {len(invoices)}.", f"Unpaid CFDIs: {len(invoices)}."))
    return out


def _id_of(item: Any) -> str:
    if isinstance(item, Mapping):
        return str(item.get("deliverable_id") or item.get("id") or "")
    return str(item)


def _a21(e: Evidence, lang: str) -> Sentences:
    if "earlier_rescissions" in e:
        return _second_rescission(e, lang)
    out = [
        _t(
            lang,
            f"Rescisión notificada el {date(e.get('notice_date'), lang)}; el proveedor podía responder hasta el {date(e.get('answer_period_end'), lang)} y la resolución debía emitirse a más tardar el {date(e.get('resolution_deadline'), lang)}.",
            f"Rescission notified on {date(e.get('notice_date'), lang)}; the supplier could answer until {date(e.get('answer_period_end'), lang)} and the decision was due by {date(e.get('resolution_deadline'), lang)}.",
        )
    ]
    breaches = e.get("breaches") or ()
    if "resolution_overdue" in breaches:
        out.append(
            _t(
                lang,
                f"Sin resolución al {date(e.get('as_of'), lang)}: {_overdue(e.get('days_late'), lang)}.",
                f"No decision as of {date(e.get('as_of'), lang)}: {_overdue(e.get('days_late'), lang)}.",
            )
        )
    if "resolution_late" in breaches:
        out.append(
            _t(
                lang,
                f"Resuelta el {date(e.get('resolution_date'), lang)}: {_late(e.get('days_late'), lang)}.",
                f"Decided on {date(e.get('resolution_date'), lang)}: {_late(e.get('days_late'), lang)}.",
            )
        )
    settle = date(e.get("settlement_deadline"), lang)
    if "guarantee_not_enforced" in breaches:
        out.append(
            _t(
                lang,
                f"La garantía de cumplimiento no se hizo efectiva (plazo: {settle}).",
                f"The performance guarantee was not enforced (deadline: {settle}).",
            )
        )
    if "no_settlement" in breaches:
        out.append(
            _t(
                lang,
                f"No hay finiquito (plazo: {settle}).",
                f"There is no settlement (deadline: {settle}).",
            )
        )
    return out


def _second_rescission(e: Evidence, lang: str) -> Sentences:
    """A21's other finding: the supplier's second rescission within two years."""
    earlier = []
    for r in e.get("earlier_rescissions") or ():
        notes = [str(x) for x in (r.get("contract"), r.get("institution")) if x]
        if r.get("source") == "import":
            notes.append(_t(lang, "antes de BESA, importada", "before BESA, imported"))
        earlier.append(
            _t(lang, f"el {date(r.get('date'), lang)}", f"on {date(r.get('date'), lang)}")
            + (f" ({'; '.join(notes)})" if notes else "")
        )
    return [
        _t(
            lang,
            f"Este contrato del proveedor {_supplier(e, lang)} se rescindió el {date(e.get('resolution_date'), lang)}.",
            f"This contract of supplier {_supplier(e, lang)} was rescinded on {date(e.get('resolution_date'), lang)}.",
        ),
        _t(
            lang,
            f"En los dos años anteriores (desde el {date(e.get('window_start'), lang)}) le rescindieron otro: {_join(earlier, lang)}.",
            f"In the two years before (since {date(e.get('window_start'), lang)}) another of its contracts was rescinded: {_join(earlier, lang)}.",
        ),
    ]


def _a22(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    out = [
        _t(
            lang,
            f"Terminación anticipada del {date(e.get('termination_date'), lang)}.",
            f"Early termination on {date(e.get('termination_date'), lang)}.",
        )
    ]
    breaches = e.get("breaches") or ()
    if "no_justification" in breaches:
        out.append(
            _t(
                lang,
                "No tiene dictamen que la justifique ni documento adjunto.",
                "It has no supporting report and no attached document.",
            )
        )
    if "reimbursement_over_documented" in breaches:
        out.append(
            _t(
                lang,
                f"Se reembolsan {money(e.get('reimbursed_expenses') or 0, cur, lang)} de gastos, pero solo hay {money(e.get('documented_expenses') or 0, cur, lang)} comprobados.",
                f"{money(e.get('reimbursed_expenses') or 0, cur, lang)} of expenses are reimbursed, but only {money(e.get('documented_expenses') or 0, cur, lang)} are documented.",
            )
        )
    return out


def _a23(e: Evidence, lang: str) -> Sentences:
    out = [
        _t(
            lang,
            f"La bitácora no tiene movimientos desde el {date(e.get('last_event_on'), lang)}: {_days(e.get('days_without_events'), lang)} (el máximo es {_days(e.get('inactivity_days'), lang)}).",
            f"The logbook has had no entries since {date(e.get('last_event_on'), lang)}: {_days(e.get('days_without_events'), lang)} (the most allowed is {_days(e.get('inactivity_days'), lang)}).",
        )
    ]
    deliverables = e.get("overdue_deliverables") or ()
    invoices = e.get("overdue_invoices") or ()
    if deliverables:
        out.append(
            _t(lang, "Entregas vencidas: ", "Overdue deliveries: ")
            + _join([str(d) for d in deliverables], lang)
            + "."
        )
    if invoices:
        out.append(
            _t(
                lang,
                f"CFDI vencidos sin pagar: {len(invoices)}.",
                f"Overdue unpaid CFDIs: {len(invoices)}.",
            )
        )
    return out


_PROCEDURE = {
    "adjudicacion_directa": ("adjudicación directa", "direct award"),
    "invitacion_tres": (
        "invitación a cuando menos tres personas",
        "invitation to at least three bidders",
    ),
    "adjudicacion_negociacion": ("adjudicación por negociación", "award by negotiation"),
}


def _a24(e: Evidence, lang: str) -> Sentences:
    procedure = _pick(_PROCEDURE, e.get("procedure_type"), lang, _t(lang, "excepción", "exception"))
    out = [_t(lang, f"Contratado por {procedure}.", f"Contracted by {procedure}.")]
    breaches = e.get("breaches") or ()
    if "no_legal_basis" in breaches:
        out.append(_t(lang, "No indica su fundamento legal.", "It states no legal basis."))
    if "no_dictamen" in breaches:
        out.append(
            _t(lang, "No tiene dictamen de excepción.", "It has no exception report (dictamen).")
        )
    if "above_pef_limit" in breaches:
        cur = e.get("home_currency")
        if e.get("pef_max_amount_source") == "pef_annex":
            out.append(
                _t(
                    lang,
                    "El máximo es el del anexo del PEF para el rango del presupuesto anual de la institución.",
                    "The maximum is the PEF annex's for the bracket of the institution's annual budget.",
                )
            )
        out.append(
            _t(
                lang,
                f"Su monto sin IVA, {money(e.get('amount_home_currency'), cur, lang)}, supera el límite del PEF de {money(e.get('pef_max_amount'), cur, lang)}.",
                f"Its amount without VAT, {money(e.get('amount_home_currency'), cur, lang)}, exceeds the PEF limit of {money(e.get('pef_max_amount'), cur, lang)}.",
            )
        )
    if "art42_share_exceeded" in breaches:
        out.append(_a24_share(e, lang))
    return out


def _a24_share(e: Evidence, lang: str) -> str:
    cur = e.get("home_currency")
    return _t(
        lang,
        f"Las adjudicaciones por monto (art. 42) de la institución en {e.get('fiscal_year')} suman {money(e.get('art42_total'), cur, lang)}, el {number(e.get('art42_share_percent'), lang)} % de su presupuesto anual de adquisiciones ({money(e.get('annual_budget'), cur, lang)}); el límite es {number(e.get('direct_award_budget_cap_percent'), lang)} %.",
        f"The institution's awards by amount (art. 42) in {e.get('fiscal_year')} add up to {money(e.get('art42_total'), cur, lang)}, {number(e.get('art42_share_percent'), lang)} % of its annual acquisitions budget ({money(e.get('annual_budget'), cur, lang)}); the limit is {number(e.get('direct_award_budget_cap_percent'), lang)} %.",
    )


def _a25(e: Evidence, lang: str) -> Sentences:
    cur = e.get("currency")
    amount = money(e.get("amount"), cur, lang)
    out = []
    breaches = e.get("breaches") or ()
    if "above_budget" in breaches:
        out.append(
            _t(
                lang,
                f"El monto, {amount}, supera el presupuesto del procedimiento, {money(e.get('procedure_budget'), cur, lang)}.",
                f"The amount, {amount}, exceeds the procedure's budget, {money(e.get('procedure_budget'), cur, lang)}.",
            )
        )
    if "unacceptable_price" in breaches:
        top = number(100 + Decimal(str(e.get("unacceptable_price_percent") or 0)), lang)
        out.append(
            _t(
                lang,
                f"El monto, {amount}, es el {number(e.get('percent_of_median'), lang)} % de la mediana del estudio de mercado ({money(e.get('market_median_amount'), cur, lang)}); más del {top} % es un precio no aceptable.",
                f"The amount, {amount}, is {number(e.get('percent_of_median'), lang)} % of the market study's median ({money(e.get('market_median_amount'), cur, lang)}); above {top} % the price is unacceptable.",
            )
        )
    if "inconvenient_price" in breaches:
        bottom = number(100 - Decimal(str(e.get("inconvenient_price_percent") or 0)), lang)
        out.append(
            _t(
                lang,
                f"El monto, {amount}, es el {number(e.get('percent_of_average'), lang)} % del promedio del estudio de mercado ({money(e.get('market_average_amount'), cur, lang)}); menos del {bottom} % es un precio no conveniente.",
                f"The amount, {amount}, is {number(e.get('percent_of_average'), lang)} % of the market study's average ({money(e.get('market_average_amount'), cur, lang)}); below {bottom} % the price is not convenient.",
            )
        )
    count = e.get("market_research_prices")
    if isinstance(count, int) and count > 0 and out:
        out.append(
            _t(
                lang,
                f"Las referencias de mercado se calculan de {count} precios del estudio de mercado.",
                f"The market references are computed from {count} prices of the market study.",
            )
        )
    return out


def _a26(e: Evidence, lang: str) -> Sentences:
    days = e.get("business_days")
    late = e.get("business_days_late")
    return [
        _t(
            lang,
            f"El área fiscalizadora requirió información a la unidad compradora {e.get('addressed_to', '')} el {date(e.get('sent_on'), lang)}, con {number(days, lang)} días hábiles para responder: la fecha límite fue el {date(e.get('due_on'), lang)}.",
            f"The oversight body requested information from buying unit {e.get('addressed_to', '')} on {date(e.get('sent_on'), lang)}, with {number(days, lang)} business days to answer: the deadline was {date(e.get('due_on'), lang)}.",
        ),
        _t(
            lang,
            f"Sigue sin respuesta: {number(late, lang)} días hábiles de atraso.",
            f"It is still unanswered: {number(late, lang)} business days late.",
        )
        if late is not None
        else "",
    ]


EVIDENCE: dict[str, Callable[[Evidence, str], Sentences]] = {
    "A01": _a01,
    "A02": _a02,
    "A03": _a03,
    "A04": _a04,
    "A05": _a05,
    "A06": _a06,
    "A07": _a07,
    "A08": _a08,
    "A09": _a09,
    "A10": _a10,
    "A11": _a11,
    "A12": _a12,
    "A13": _a13,
    "A14": _a14,
    "A15": _a15,
    "A16": _a16,
    "A17": _a17,
    "A18": _a18,
    "A19": _a19,
    "A20": _a20,
    "A21": _a21,
    "A22": _a22,
    "A23": _a23,
    "A24": _a24,
    "A25": _a25,
    "A26": _a26,
}


def evidence(rule: str, data: Evidence, lang: str) -> Sentences:
    """The alert's evidence as sentences in ``lang``; the rule's trigger when nothing more
    can be said (an unknown rule or evidence of an unexpected shape)."""
    lang = language(lang)
    describe = EVIDENCE.get(rule)
    sentences: Sentences = []
    if describe is not None:
        try:
            sentences = [s for s in describe(data or {}, lang) if s]
        except (TypeError, ValueError, AttributeError, InvalidOperation):
            sentences = []  # evidence of a shape this version does not know: fall back
    return sentences or [rule_description(rule, lang) or _t(lang, "Sin detalle.", "No detail.")]


def headline(rule: str, data: Evidence, lang: str, limit: int = 260) -> str:
    """The evidence for a list's row: whole sentences, as many as fit in ``limit`` characters
    (at least one). A rule's first sentence often sets the scene ("Signed on…") and the next
    one says the breach ("Registered on…: 6 business days late"), so one is rarely enough."""
    sentences = evidence(rule, data, lang)
    shown = [sentences[0]]
    for sentence in sentences[1:]:
        if len(" ".join([*shown, sentence])) > limit:
            break
        shown.append(sentence)
    return " ".join(shown)


__all__ = [
    "EVIDENCE",
    "action_name",
    "date",
    "escalation_name",
    "evidence",
    "headline",
    "language",
    "money",
    "number",
    "rule_description",
    "rule_name",
    "severity_name",
    "state_name",
    "subject",
]
