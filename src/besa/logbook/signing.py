"""The deployment's Ed25519 key for signing checkpoints.

The private key lives in a PEM file named by ``BESA_CHECKPOINT_KEY`` (default
``var/checkpoint-ed25519.pem``). When the file does not exist it is created once, readable by
its owner only; back it up, and publish the public key so that anyone can check checkpoints.
"""

from __future__ import annotations

import os
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
def _load(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"BESA_CHECKPOINT_KEY: {path} is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    """The signing key, created on first use if the file does not exist."""
    return _load(key_path())


def public_key_hex() -> str:
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return raw.hex()


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
