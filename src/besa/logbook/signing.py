"""The deployment's Ed25519 keys for signing and for checking checkpoints.

The private key lives in a PEM file named by ``BESA_CHECKPOINT_KEY`` (default
``var/checkpoint-ed25519.pem``). When the file does not exist it is created once, readable by
its owner only; back it up, and publish the public key so that anyone can check checkpoints.

Checkpoints are checked against **trusted** public keys, never against the key a checkpoint
row names: an insider who rewrites history can also re-sign it with a key of their own and
store that key in the row. The trusted keys are ``BESA_CHECKPOINT_PUBLIC_KEY`` (comma-separated
hex keys, the current one and any retired ones) or, when it is not set, the public half of the
configured private key. A retired key is written ``HEX@N``: it is trusted for checkpoints
numbered up to ``N`` only, so a retired key that leaks cannot sign new history
(``docs/operations.md``, "Rotating the checkpoint key").
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from besa.exceptions import ConfigurationError


def key_path() -> Path:
    return Path(
        os.environ.get("BESA_CHECKPOINT_KEY") or settings.VAR_DIR / "checkpoint-ed25519.pem"
    )


@cache
def _load(path: Path, create: bool = True) -> Ed25519PrivateKey:
    if not path.exists():
        if not create:
            raise ConfigurationError(
                f"BESA_CHECKPOINT_KEY: {path} does not exist, and BESA_CHECKPOINT_PUBLIC_KEY "
                "is not set: there is no key to check checkpoints against"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"BESA_CHECKPOINT_KEY: {path} is not a PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"BESA_CHECKPOINT_KEY: {path} is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    """The signing key, created on first use if the file does not exist."""
    return _load(key_path())


def _hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def public_key_hex() -> str:
    """The public half of the signing key (hex)."""
    return _hex(private_key())


@dataclass(frozen=True)
class TrustedKey:
    """A public key checkpoints may be signed with; ``until`` bounds a retired key."""

    hex: str
    until: int | None = None

    def covers(self, number: int) -> bool:
        return self.until is None or number <= self.until


def trusted_keys() -> list[TrustedKey]:
    """The keys checkpoints are checked against (see the module docstring).

    Raises ``ConfigurationError`` naming the variable when a key is malformed, or when no key
    is configured and the private key file does not exist (nothing to trust)."""
    configured = os.environ.get("BESA_CHECKPOINT_PUBLIC_KEY", "").strip()
    if not configured:
        return [TrustedKey(_hex(_load(key_path(), create=False)))]
    keys = []
    for item in configured.split(","):
        text, _, until = item.strip().partition("@")
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
            keys.append(TrustedKey(text.lower(), int(until) if until else None))
        except ValueError as exc:
            raise ConfigurationError(
                f"BESA_CHECKPOINT_PUBLIC_KEY: {item.strip()!r} is not a hex Ed25519 public key "
                "(optionally followed by @N, the last checkpoint number it signed)"
            ) from exc
    return keys


def check_signing_key() -> None:
    """Refuse to sign with a key the deployment does not trust for new checkpoints: what it
    signed would fail ``besa verify``. Raises ``ConfigurationError``."""
    own = public_key_hex()
    current = [k.hex for k in trusted_keys() if k.until is None]
    if own not in current:
        raise ConfigurationError(
            f"BESA_CHECKPOINT_KEY signs with {own}, which BESA_CHECKPOINT_PUBLIC_KEY does not "
            "list as a current key"
        )


def sign(message: bytes) -> str:
    return private_key().sign(message).hex()


def is_valid(public_key_hex: str, message: bytes, signature_hex: str) -> bool:
    """True when ``signature_hex`` is a valid Ed25519 signature of ``message``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def signed_by_trusted(
    number: int, messages: tuple[bytes, ...], signature_hex: str, keys: list[TrustedKey]
) -> str | None:
    """The trusted key (hex) that signed one of ``messages`` (the message versions a
    checkpoint may have been signed as) for checkpoint ``number``, or None."""
    for key in keys:
        if key.covers(number) and any(is_valid(key.hex, m, signature_hex) for m in messages):
            return key.hex
    return None
