"""The CFDI fixtures of ``tests/fixtures/cfdi`` and malformed variants derived from them."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cfdi"
VALID_UUID = "9A1E2F3B-0C4D-4E5F-8A6B-7C8D9E0F1A2B"
VALID_2_UUID = "1B2C3D4E-5F60-4718-8293-A4B5C6D7E8F9"


def cfdi(name: str = "valid.xml") -> bytes:
    return (FIXTURES / name).read_bytes()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    ]
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "\n".join(entities).encode() + b"]>\n"
        b'<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4">&lol9;</cfdi:Comprobante>'
    )


def external_entity() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4">&xxe;</cfdi:Comprobante>'
    )


def latin1() -> bytes:
    """The valid invoice with its issuer's name re-encoded as Latin-1 (an "é")."""
    return cfdi().replace(
        b'Nombre="EDUARDO GONZALEZ"', 'Nombre="EDUARDO GONZÁLEZ"'.encode("latin-1")
    )


def truncated() -> bytes:
    data = cfdi()
    return data[: len(data) * 2 // 3]
