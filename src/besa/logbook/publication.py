"""The published copy of the checkpoints: a second, append-only place outside the database.

A checkpoint kept only in the database proves nothing against whoever controls the database:
they can delete it with the entries it covers, or restore an older copy of the whole file.
So every checkpoint is also written, as soon as it is made, to a place the database cannot
change, named by ``BESA_CHECKPOINT_LOG``:

- a directory (default ``var/checkpoints/``, beside but outside the embedded database file):
  one file ``<number>.json`` per checkpoint, created exclusively and never rewritten; point it
  at storage the database's administrators cannot write (another host's mount, WORM storage);
- an ``http(s)://`` URL: each checkpoint is POSTed to it as JSON (a transparency log, another
  office's server), and ``GET`` on the same URL must answer the list of everything it holds.

``besa verify`` compares the database with this copy (``--against`` names another one, such as
a citizen's mirror of ``/api/opendata/checkpoints.json``). The same checkpoints are public in the
open data, so any number of independent copies can exist.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from besa.exceptions import ConfigurationError, PublicationError

logger = logging.getLogger(__name__)

Published = dict[str, Any]


class CheckpointLog(Protocol):
    """A place checkpoints are copied to. ``append`` must be idempotent: publishing the same
    checkpoint twice is a no-op, publishing a different one under a taken number fails."""

    where: str

    def append(self, checkpoint: Mapping[str, Any]) -> None: ...

    def read(self) -> list[Published]: ...

    def last_number(self) -> int: ...


class DirectoryLog:
    """One JSON file per checkpoint in a directory; files are created exclusively."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def _file(self, number: int) -> Path:
        return self.path / f"{number:012d}.json"

    def append(self, checkpoint: Mapping[str, Any]) -> None:
        target = self._file(int(checkpoint["number"]))
        data = json.dumps(dict(checkpoint), sort_keys=True, indent=1).encode()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            if target.exists():
                if json.loads(target.read_bytes()) != dict(checkpoint):
                    raise PublicationError(
                        f"{target}: a different checkpoint {checkpoint['number']} is already "
                        "published; the published copy is never rewritten"
                    )
                return
            tmp = target.with_suffix(f".tmp-{os.getpid()}")
            with tmp.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, target)  # fails if the number was taken meanwhile: never overwrite
            finally:
                tmp.unlink()
        except FileExistsError:
            self.append(checkpoint)  # another process published it first: compare
        except OSError as exc:
            raise PublicationError(f"{self.where}: {exc.strerror or exc}") from exc

    def last_number(self) -> int:
        """The highest published number (0 for none), from the file names alone."""
        if not self.path.is_dir():
            return 0
        numbers = [int(f.stem) for f in self.path.glob("*.json") if f.stem.isdigit()]
        return max(numbers, default=0)

    def read(self) -> list[Published]:
        if not self.path.is_dir():
            return []
        found = []
        for file in sorted(self.path.glob("*.json")):
            try:
                found.append(json.loads(file.read_bytes()))
            except (OSError, ValueError) as exc:
                raise PublicationError(f"{file}: not a readable checkpoint ({exc})") from exc
        return sorted(found, key=lambda c: int(c.get("number", 0)))


class WebhookLog:
    """POST each checkpoint to a URL; GET the URL for the list it holds."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.where = url
        self.timeout = timeout

    def append(self, checkpoint: Mapping[str, Any]) -> None:
        body = json.dumps(dict(checkpoint), sort_keys=True).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):
                pass
        except (urllib.error.URLError, OSError) as exc:
            raise PublicationError(f"{self.url}: {exc}") from exc

    def read(self) -> list[Published]:
        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as response:
                data = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PublicationError(f"{self.url}: {exc}") from exc
        if isinstance(data, Mapping):  # /api/opendata/checkpoints.json wraps the list
            data = data.get("checkpoints")
        if not isinstance(data, list):
            raise PublicationError(f"{self.url}: expected a list of checkpoints")
        return sorted(data, key=lambda c: int(c.get("number", 0)))

    def last_number(self) -> int:
        return max((int(c.get("number", 0)) for c in self.read()), default=0)


def open_log(where: str | os.PathLike[str]) -> CheckpointLog:
    """The log at ``where``: an ``http(s)://`` URL or a directory path."""
    text = str(where)
    if text.startswith(("http://", "https://")):
        return WebhookLog(text)
    return DirectoryLog(Path(text))


def configured() -> CheckpointLog:
    """The deployment's published copy (``BESA_CHECKPOINT_LOG``, default ``var/checkpoints``)."""
    where = os.environ.get("BESA_CHECKPOINT_LOG") or settings.VAR_DIR / "checkpoints"
    if not str(where).strip():
        raise ConfigurationError("BESA_CHECKPOINT_LOG is empty")
    return open_log(where)


def publish(checkpoint: Mapping[str, Any], log_: CheckpointLog | None = None) -> bool:
    """Copy one checkpoint to the published place; False (logged) when it cannot be reached
    now: the worker's next checkpoint job publishes what is pending (``publish_pending``)."""
    target = log_ or configured()
    try:
        target.append(checkpoint)
    except PublicationError as exc:
        logger.warning("checkpoint %s not published yet: %s", checkpoint.get("number"), exc)
        return False
    return True
