"""The follow-up code a citizen gets when filing a report: pure, no Django.

16 symbols of Crockford's base32 (no I, L, O, U: nothing to misread) drawn with ``secrets``:
80 bits, so a code cannot be guessed or enumerated, and grouped by four (``7KQ2-M9XD-…``) so it
can be copied by hand. Only its SHA-256 is stored (``digest``): whoever reads the database
cannot learn a code and check a report's status as the reporter. A plain hash suffices (no
salt, no key): with 80 random bits there is nothing to look up in a dictionary, and a key
would make every code stop working when the secret key is rotated.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Symbols in a code (5 bits each).
LENGTH = 16
GROUP = 4
#: What people mistype for a symbol of the alphabet (Crockford's decoding).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh code, grouped for reading: ``XXXX-XXXX-XXXX-XXXX``."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(symbols[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(typed: str) -> str | None:
    """The code's symbols as typed by a person (any case, spaces or hyphens, O for 0, I or L
    for 1), or None when it cannot be a code (wrong length or a symbol outside the alphabet)."""
    symbols = "".join(ch for ch in typed.upper() if ch not in " -\t").translate(_READ_AS)
    if len(symbols) != LENGTH or any(ch not in ALPHABET for ch in symbols):
        return None
    return symbols


def digest(code: str) -> str:
    """The SHA-256 stored for ``code`` (any spelling ``normalise`` accepts); ValueError if it
    is not a code."""
    symbols = normalise(code)
    if symbols is None:
        raise ValueError("not a follow-up code")
    return hashlib.sha256(symbols.encode("ascii")).hexdigest()
