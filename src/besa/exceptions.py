"""Every error BESA raises on purpose, in one place.

The tree::

    BesaError                      base of every deliberate BESA error
    ├── ConfigurationError         a deployment setting is missing or wrong (start-up)
    │   └── JurisdictionError      the jurisdiction file is malformed; names the bad key
    ├── InvalidInput               user or imported data is rejected; names the field or line
    │   ├── InvalidRFC             an RFC fails format or check-digit validation
    │   ├── InvalidPayload         a logbook entry payload fails its schema
    │   └── Conflict               an idempotency key already names a different request
    ├── UnreadableFile             an input file cannot be read at all; names the file
    ├── PermissionDenied           the actor's role or scope does not allow the action
    ├── RateLimited                too many submissions from one address or about one
    │                              contract in a window (citizen reports); names when to retry
    ├── NotFound                   the named object does not exist (or is out of scope)
    ├── IntegrityError             stored history does not verify (hash chain, checkpoint)
    ├── PublicationError           the published copy of the checkpoints cannot be read or
    │                              written, or refuses a checkpoint
    └── BackupError                a backup cannot be taken or restored; names the file or step

Callers catch the narrowest class they can handle. ``InvalidInput`` carries ``field`` (a dotted
path such as ``payload.amount`` or ``line 14``) so a message can always point at the culprit,
and guarantees that nothing was written when it was raised from a domain function.
"""

from __future__ import annotations

import datetime as dt


class BesaError(Exception):
    """Base class of every deliberate BESA error."""


class ConfigurationError(BesaError):
    """A deployment setting is missing or invalid; raised at start-up."""


class JurisdictionError(ConfigurationError):
    """The jurisdiction file is malformed. ``key`` is the dotted path of the bad key."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"jurisdiction: {key}: {message}")


class InvalidInput(BesaError):
    """Input was rejected and nothing was written. ``field`` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InvalidRFC(InvalidInput):
    """An RFC (Mexican taxpayer id) failed validation."""


class InvalidPayload(InvalidInput):
    """A logbook entry payload does not satisfy the schema of its kind."""


class Conflict(InvalidInput):
    """The request reuses an idempotency key that already names a different request (another
    contract, kind, payload, date or documents); nothing was written. The API answers 409."""


class DocumentRefused(InvalidInput):
    """An uploaded evidence document breaks the size and type policy (``besa.documents``);
    nothing was stored. ``reason`` is ``empty``, ``too_large``, ``executable`` or ``type``;
    ``file_name`` is the name the user gave the file; ``limit`` the size limit in bytes."""

    def __init__(self, reason: str, file_name: str, message: str, limit: int = 0) -> None:
        self.reason = reason
        self.file_name = file_name
        self.limit = limit
        super().__init__("file", message)


class UnreadableFile(BesaError):
    """A whole input file cannot be read: missing or unreadable, a truncated or corrupt
    compression, an encoding other than the one expected. Nothing was written. ``path`` names
    the file as the user gave it; ``besa import`` prints one line and exits with status 2."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class PermissionDenied(BesaError):
    """The actor's role or scope does not allow this action."""


class RateLimited(BesaError):
    """A public submission was refused because its ``scope`` (``address``, ``contract`` or
    ``lookup``) reached its limit for the current window; nothing was written. ``retry_at`` is
    the moment (aware) the window ends and submissions are taken again."""

    def __init__(self, scope: str, retry_at: dt.datetime) -> None:
        self.scope = scope
        self.retry_at = retry_at
        super().__init__(f"{scope}: limit reached until {retry_at.isoformat()}")


class NotFound(BesaError):
    """The object does not exist, or is outside the actor's scope (indistinguishable on purpose)."""


class IntegrityError(BesaError):
    """Stored history fails verification: a hash, chain link or checkpoint does not match."""


class PublicationError(BesaError):
    """The published copy of the checkpoints (``BESA_CHECKPOINT_LOG``) cannot be read or
    written, or already holds a different checkpoint under the same number."""


class BackupError(BesaError):
    """A backup cannot be taken, or a backup cannot be restored (``besa.backup``): a corrupt
    or incomplete backup, a target database that is not empty, a failing ``pg_dump``. The
    message names the file or the step; ``besa backup``/``besa restore`` print it as one line
    and exit with status 2."""
