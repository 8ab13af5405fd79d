"""Verifying a parsed CFDI 4.0: XSD structure, arithmetic, seal, certificate, stamp.

``verify(root)`` turns the element ``reading.read_document`` produced into a satcfdi
``CFDI`` and checks it offline. What is *wrong* raises ``InvalidInput`` naming the CFDI
attribute (``SubTotal``, ``Total``, ``Sello``…). What merely *could not be verified* here
(a certificate not issued by the SAT, such as a test certificate; the SAT stamp, whose PAC
certificate is only published online) is not an error: it is reported in ``Verification``
so that the person uploading sees exactly what was and was not checked.

Pure: no Django, no network (the XSDs and the SAT certificate store ship with satcfdi).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import satcfdi.transform
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from satcfdi.cfdi import CFDI
from satcfdi.models.certificate_store import CertificateStore
from satcfdi.transform import SchemaCollector, cfdi_schemas

from besa.exceptions import InvalidInput

#: Amounts may differ by rounding, at most this much (the CFDI's own tolerance is per line).
TOLERANCE = Decimal("0.01")
#: The timezone assumed for ``Fecha`` (local time of issue, without offset) when checking the
#: certificate's validity; the exact zone does not matter at a day's precision.
_MEXICO = dt.timezone(dt.timedelta(hours=-6))


@dataclass(frozen=True)
class Verification:
    """What was verified about one CFDI. ``verified`` and ``not_verified`` are short
    bilingual sentences, in the order the checks ran."""

    cfdi: CFDI
    uuid: str
    verified: list[str] = field(default_factory=list)
    not_verified: list[str] = field(default_factory=list)


def verify(root: etree._Element) -> Verification:
    """Check the CFDI rooted at ``root`` and return it with the record of what was checked.

    Raises ``InvalidInput`` when the document fails the CFDI 4.0 schema, is not an income
    invoice (``TipoDeComprobante`` I), has no TimbreFiscalDigital (not stamped), when its
    amounts do not add up, or when its seal does not match its certificate.
    """
    try:
        cfdi = CFDI.from_xml(root)
    except Exception as exc:  # satcfdi raises bare KeyError/ValueError on odd documents
        raise InvalidInput("file", f"CFDI ilegible / unreadable CFDI: {exc!r}") from exc
    verified: list[str] = []
    not_verified: list[str] = []
    _check_schema(root, cfdi)
    verified.append("estructura conforme al XSD del CFDI 4.0 / structure valid against the XSD")
    kind = catalogue_code(cfdi.get("TipoDeComprobante"))
    if kind != "I":
        raise InvalidInput(
            "TipoDeComprobante",
            f"se espera un CFDI de ingreso (I), no {kind} / "
            f"expected an income CFDI (I), not {kind}",
        )
    uuid = _uuid(cfdi)
    _check_totals(cfdi)
    verified.append("importes: SubTotal − Descuento + impuestos = Total / amounts add up")
    certificate = _check_seal(cfdi)
    verified.append(
        "sello del emisor válido con su certificado / issuer's seal matches its certificate"
    )
    if _issued_by_sat(certificate, cfdi["Fecha"]):
        verified.append("certificado emitido por el SAT / certificate issued by the SAT")
    else:
        not_verified.append(
            "el certificado no fue emitido por el SAT (¿de prueba?) / "
            "the certificate was not issued by the SAT (a test one?)"
        )
    not_verified.append(
        "sello del SAT en el timbre: requiere el certificado del PAC, publicado solo en línea / "
        "the SAT stamp's seal: needs the PAC's certificate, published online only"
    )
    return Verification(cfdi, uuid, verified, not_verified)


def _check_schema(root: etree._Element, cfdi: CFDI) -> None:
    collector = SchemaCollector()
    cfdi_schemas[cfdi.tag](collector, cfdi)
    schema = _schema(frozenset(collector.base))
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise InvalidInput(
            "file",
            f"no cumple el esquema del CFDI 4.0 (línea {error.line}) / "
            f"fails the CFDI 4.0 schema (line {error.line}): {error.message}",
        )


_schemas = threading.local()


def _schema(locations: frozenset[str]) -> etree.XMLSchema:
    """The compiled XSD for the namespaces a CFDI uses, compiled once per thread.

    Compiling the Anexo 20 schemas takes a quarter of a second, a hundred times the cost of
    validating one invoice (satcfdi's ``validate_xsd`` compiles on every call). lxml does not
    promise that one schema object may validate in two threads at once, hence per thread.
    """
    cache: dict[frozenset[str], etree.XMLSchema] = _schemas.__dict__.setdefault("cache", {})
    if locations not in cache:
        # The same wrapper satcfdi builds: one xs:import per schema location, resolved
        # against its bundled copy of the SAT's schemas (no network).
        wrapper = etree.fromstring(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>',
            base_url=str(Path(satcfdi.transform.SCHEMA_ROOT) / "schema.xsd"),
        )
        for location in sorted(locations):
            etree.SubElement(
                wrapper,
                "{http://www.w3.org/2001/XMLSchema}import",
                attrib={"namespace": "", "schemaLocation": location},
            )
        cache[locations] = etree.XMLSchema(wrapper)
    return cache[locations]


def _uuid(cfdi: CFDI) -> str:
    stamp = (cfdi.get("Complemento") or {}).get("TimbreFiscalDigital")
    if not stamp or not stamp.get("UUID"):
        raise InvalidInput(
            "TimbreFiscalDigital",
            "el CFDI no está timbrado (falta el TimbreFiscalDigital) / "
            "the CFDI is not stamped (no TimbreFiscalDigital)",
        )
    return str(stamp["UUID"]).upper()


def _check_totals(cfdi: CFDI) -> None:
    concepts = cfdi["Conceptos"]
    _same("SubTotal", cfdi["SubTotal"], sum((c["Importe"] for c in concepts), Decimal(0)))
    discount = cfdi.get("Descuento") or Decimal(0)
    _same(
        "Descuento", discount, sum((c.get("Descuento") or Decimal(0) for c in concepts), Decimal(0))
    )
    taxes = cfdi.get("Impuestos") or {}
    transferred = taxes.get("TotalImpuestosTrasladados") or Decimal(0)
    withheld = taxes.get("TotalImpuestosRetenidos") or Decimal(0)
    _same("TotalImpuestosTrasladados", transferred, _sum_of(taxes.get("Traslados")))
    _same("TotalImpuestosRetenidos", withheld, _sum_of(taxes.get("Retenciones")))
    _same("Total", cfdi["Total"], cfdi["SubTotal"] - discount + transferred - withheld)


def _sum_of(lines: Any) -> Decimal:
    values = lines.values() if isinstance(lines, dict) else (lines or [])
    return sum((line.get("Importe") or Decimal(0) for line in values), Decimal(0))


def _same(name: str, stated: Decimal, computed: Decimal) -> None:
    if abs(stated - computed) > TOLERANCE:
        raise InvalidInput(
            name,
            f"no cuadra: dice {stated}, los conceptos e impuestos dan {computed} / "
            f"does not add up: states {stated}, concepts and taxes give {computed}",
        )


def _check_seal(cfdi: CFDI) -> x509.Certificate:
    # The certificate is read with cryptography directly: satcfdi's wrapper goes through
    # pyOpenSSL APIs that are deprecated (and warnings are errors here).
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(cfdi["Certificado"]))
        seal = base64.b64decode(cfdi["Sello"], validate=True)
    except (binascii.Error, ValueError, KeyError) as exc:
        raise InvalidInput(
            "Certificado", f"certificado o sello ilegible / unreadable certificate or seal: {exc}"
        ) from exc
    # SAT certificate numbers are the ASCII digits of the serial number's bytes.
    number = f"{certificate.serial_number:x}"[1::2]
    if number != cfdi.get("NoCertificado"):
        raise InvalidInput(
            "NoCertificado",
            "no corresponde al certificado incluido / does not match the embedded certificate",
        )
    issuer = str(cfdi["Emisor"]["Rfc"])
    owner = _certificate_rfc(certificate)
    if owner is not None and owner != issuer:
        raise InvalidInput(
            "Certificado",
            f"el certificado es de {owner}, no del emisor {issuer} / "
            f"the certificate belongs to {owner}, not to the issuer {issuer}",
        )
    key = certificate.public_key()
    try:
        if not isinstance(key, rsa.RSAPublicKey):
            raise InvalidSignature
        key.verify(seal, cfdi.cadena_original().encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise InvalidInput(
            "Sello",
            "el sello no corresponde al contenido: el CFDI fue alterado / "
            "the seal does not match the content: the CFDI was altered",
        ) from exc
    return certificate


def _certificate_rfc(certificate: x509.Certificate) -> str | None:
    """The RFC in a CSD's subject (``x500UniqueIdentifier`` is ``RFC / representative``)."""
    values = certificate.subject.get_attributes_for_oid(NameOID.X500_UNIQUE_IDENTIFIER)
    if not values:
        return None
    value = values[0].value
    text = value.decode() if isinstance(value, bytes) else str(value)
    return text.split("/")[0].strip() or None


@cache
def _sat_store() -> CertificateStore:
    # SAT's certification authorities, as shipped by satcfdi (offline).
    return CertificateStore.create(Path(satcfdi.transform.__file__).parent / "CertsProd.zip")


def _issued_by_sat(certificate: x509.Certificate, issued: dt.datetime) -> bool:
    at = issued if issued.tzinfo else issued.replace(tzinfo=_MEXICO)
    try:
        return bool(_sat_store().verify_certificate(certificate, at=at))
    except KeyError:  # satcfdi's store raises it for an issuer it does not know
        return False


def catalogue_code(value: Any) -> str:
    """A catalogue value's code (satcfdi wraps them in ``Code``), or the plain string."""
    return str(getattr(value, "code", value) or "")
