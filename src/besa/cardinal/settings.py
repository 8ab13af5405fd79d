"""Cardinal's INI settings: the same sections, keys, defaults and errors as ``ocdscardinal`` 0.0.8.

Contract:

* Comments start with ``;`` or ``#`` (also after a value, when preceded by whitespace).
* Keys before the first section are top-level; ``[A.B]`` is a nested section.
* Lists are ``|``-separated; integers, decimals and booleans are coerced from the text.
* **An indicator is enabled by the presence of its section**, even an empty one.
* An unknown section or key, or a value of the wrong type, raises
  :class:`~besa.exceptions.InvalidInput` whose ``field`` is the dotted key (``R024.threshold``);
  the command line turns it into exit status 2, as Cardinal does.

Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from besa.exceptions import InvalidInput

#: Every indicator this engine computes, in output order.
INDICATORS = (
    "R003",
    "R018",
    "R024",
    "R025",
    "R028",
    "R030",
    "R035",
    "R036",
    "R038",
    "R048",
    "R058",
)

_TOP = {
    "currency": "str",
    "no_price_comparison_procurement_methods": "list",
    "price_comparison_procurement_methods": "list",
}
#: section → key → type; ``None`` means "any key, values of the given type" (a free mapping).
_SECTIONS: dict[str, dict[str, str] | tuple[None, str]] = {
    "output": {"info_currency_mismatches": "bool"},
    "defaults": {
        "currency": "str",
        "item_classification_scheme": "str",
        "bid_status": "str",
        "award_status": "str",
        "party_roles": "bool",
    },
    "redactions": {"amount": "list", "organization_id": "list"},
    "corrections": {"award_status_by_contract_status": "bool"},
    "modifications": {
        "move_auctions": "bool",
        "prefix_buyer_or_procuring_entity_id": "str",
        "prefix_tenderer_or_supplier_id": "str",
        "split_procurement_method_details": "str",
    },
    "codelists.bid_status": (None, "str"),
    "codelists.award_status": (None, "str"),
    "exclusions": {"procurement_method_details": "list"},
    "R003": {"threshold": "int", "procurement_methods": "list"},
    "R003.procurement_method_details": (None, "int"),
    "R018": {"procurement_methods": "list"},
    "R024": {"threshold": "float"},
    "R025": {"percentile": "int", "threshold": "float"},
    "R028": {},
    "R030": {},
    "R035": {"threshold": "int"},
    "R036": {},
    "R038": {
        "threshold": "float",
        "minimum_submitted_bids": "int",
        "minimum_contracting_processes": "int",
    },
    "R048": {"digits": "int", "threshold": "int", "minimum_contracting_processes": "int"},
    "R058": {"threshold": "float"},
}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Settings:
    """Parsed settings. ``sections`` holds each section's typed values; ``enabled`` the indicators.

    Indicator parameters are read with :meth:`get`, which applies Cardinal's defaults.
    """

    currency: str | None = None
    no_price_comparison_procurement_methods: tuple[str, ...] = ()
    price_comparison_procurement_methods: tuple[str, ...] = ()
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def enabled(self) -> tuple[str, ...]:
        """The enabled indicators, in output order."""
        return tuple(code for code in INDICATORS if code in self.sections)

    def get(self, section: str, key: str, default: Any = None) -> Any:
        """The typed value of ``[section] key``, or ``default`` when it is not set."""
        return self.sections.get(section, {}).get(key, default)

    def mapping(self, section: str) -> dict[str, Any]:
        """A free-form section such as ``[R003.procurement_method_details]`` (empty if absent)."""
        return dict(self.sections.get(section, {}))


def all_indicators() -> Settings:
    """Settings that enable every indicator with its defaults (like a fresh ``init`` file)."""
    return Settings(sections={code: {} for code in INDICATORS})


def _strip_comment(line: str) -> str:
    for marker in (";", "#"):
        if line.startswith(marker):
            return ""
        for prefix in (" ", "\t"):
            position = line.find(prefix + marker)
            if position >= 0:
                line = line[:position]
    return line.strip()


def _coerce(kind: str, name: str, raw: str) -> Any:
    value = raw.strip()
    if kind == "str":
        return value
    if kind == "list":
        return tuple(part.strip() for part in value.split("|") if part.strip())
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise InvalidInput(name, f"invalid type: expected an integer, got {value!r}") from None
    if kind == "float":
        try:
            return float(value)
        except ValueError:
            raise InvalidInput(name, f"invalid type: expected a decimal, got {value!r}") from None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise InvalidInput(name, f"invalid type: expected a boolean, got {value!r}")


def parse(text: str) -> Settings:
    """Parse the text of a settings file; raises ``InvalidInput(field=<dotted key>)``."""
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line:
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise InvalidInput(f"line {number}", f"unterminated section header {line!r}")
            current = line[1:-1].strip()
            if current not in _SECTIONS:
                raise InvalidInput(current, "unknown section")
            sections.setdefault(current, {})
            continue
        key, sep, value = line.partition("=")
        if not sep:
            key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(f"line {number}", f"expected 'key = value', got {line!r}")
        if current is None:
            if key not in _TOP:
                raise InvalidInput(key, "unknown field")
            top[key] = _coerce(_TOP[key], key, value)
            continue
        spec = _SECTIONS[current]
        name = f"{current}.{key}"
        if isinstance(spec, tuple):
            sections[current][key] = _coerce(spec[1], name, value)
        elif key in spec:
            sections[current][key] = _coerce(spec[key], name, value)
        else:
            raise InvalidInput(name, "unknown field")
    _validate(sections)
    return Settings(
        currency=top.get("currency") or None,
        no_price_comparison_procurement_methods=top.get(
            "no_price_comparison_procurement_methods", ()
        ),
        price_comparison_procurement_methods=top.get("price_comparison_procurement_methods", ()),
        sections=sections,
    )


def _validate(sections: dict[str, dict[str, Any]]) -> None:
    # Cardinal deserialises these into unsigned integers: a negative value is a type error there.
    for section, key in (
        ("R025", "percentile"),
        ("R035", "threshold"),
        ("R038", "minimum_submitted_bids"),
        ("R038", "minimum_contracting_processes"),
        ("R048", "digits"),
        ("R048", "minimum_contracting_processes"),
    ):
        value = sections.get(section, {}).get(key)
        if value is not None and value < 0:
            raise InvalidInput(
                f"{section}.{key}", f"invalid value: {value}, expected a natural number"
            )
    percentile = sections.get("R025", {}).get("percentile")
    if percentile is not None and percentile > 100:
        raise InvalidInput("R025.percentile", f"invalid value: {percentile}, expected at most 100")


def load(path: str | Path | None) -> Settings:
    """Read a settings file; ``None`` gives empty settings (no indicator enabled, like Cardinal)."""
    if path is None:
        return Settings()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("--settings", f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput("--settings", f"{path} is not UTF-8 text") from None
    return parse(text)
