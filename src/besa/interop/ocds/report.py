"""What an import skipped or repaired, item by item: the import report.

An ``Issue`` names the input line (JSON Lines) or ``None`` (a JSON document, where the path
alone locates the item), the JSON path of the item, the action taken and why. The report file
is JSON Lines, one issue per line, in the order the issues were found.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import IO, Literal

import orjson

#: skipped: not imported (the rest of the item was); repaired: imported after a fix named in
#: ``reason``; kept: stored in the imported process as published but not mapped to an entry;
#: missing: information the contract lacks that its buying unit must complete (a data gap,
#: ``besa.alerts.gaps``), with its deadline.
Action = Literal["skipped", "repaired", "kept", "missing"]


@dataclass(frozen=True)
class Issue:
    """One skipped, repaired or kept item. ``path`` is a JSONPath-like location such as
    ``releases[3].contracts[0].value.amount``; ``file`` is the input file's name."""

    file: str
    line: int | None
    path: str
    action: Action
    reason: str

    def as_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Issue:
        line = data.get("line")
        return cls(
            file=str(data["file"]),
            line=int(line) if isinstance(line, int) else None,
            path=str(data["path"]),
            action=data["action"],  # type: ignore[arg-type]
            reason=str(data["reason"]),
        )


class ReportWriter:
    """Appends issues to a JSON Lines stream (or only counts them when ``stream`` is None)."""

    def __init__(self, stream: IO[bytes] | None) -> None:
        self.stream = stream
        self.counts: dict[str, int] = {"skipped": 0, "repaired": 0, "kept": 0, "missing": 0}

    def write(self, issue: Issue) -> None:
        self.counts[issue.action] += 1
        if self.stream is not None:
            self.stream.write(orjson.dumps(issue.as_json()) + b"\n")
