"""``besa risk``: compute and store risk for the portfolio, or store external results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from besa.exceptions import InvalidInput
from besa.risk import ranking
from besa.risk.indicators import store_indicators
from besa.risk.portfolio import Scope, contract_rows, run_portfolio
from besa.risk.process import store_processes
from besa.risk.releases import read_releases


def _day(option: str) -> Any:
    def parse(value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"{option}: not a YYYY-MM-DD date: {value!r}") from exc

    return parse


class Command(BaseCommand):
    help = (
        "Compute execution-phase flags, the CRI, supplier networks and the audit ranking for "
        "the registered portfolio and store them as a run; or store a Cardinal-compatible "
        "indicators output (--indicators), or score imported OCDS processes (--releases)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--institution", default="", help="institution code, e.g. IMSS")
        parser.add_argument("--since", type=_day("--since"), help="signed on or after")
        parser.add_argument("--until", type=_day("--until"), help="signed on or before")
        parser.add_argument("--as-of", type=_day("--as-of"), help="judge deadlines on this day")
        parser.add_argument("--top", type=int, default=10, help="contracts to print")
        parser.add_argument("--indicators", metavar="FILE", help="besa/ocdscardinal output")
        parser.add_argument("--releases", metavar="FILE", help="OCDS releases or records")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["indicators"]:
                self._indicators(options["indicators"])
            elif options["releases"]:
                run = store_processes(
                    read_releases(options["releases"]), source=options["releases"]
                )
                self.stdout.write(f"run {run.id}: {run.population_size} processes scored")
            else:
                self._portfolio(options)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc

    def _indicators(self, path: str) -> None:
        try:
            with open(path, "rb") as handle:
                output = orjson.loads(handle.read())
        except OSError as exc:
            raise CommandError(f"--indicators: {exc}") from exc
        except orjson.JSONDecodeError as exc:
            raise CommandError(f"--indicators: {path} is not JSON: {exc}") from exc
        run = store_indicators(output, source=path)
        self.stdout.write(f"run {run.id}: {run.results.count()} indicator values stored")

    def _portfolio(self, options: dict[str, Any]) -> None:
        scope = Scope(options["institution"], options["since"], options["until"])
        run = run_portfolio(scope, as_of=options["as_of"])
        self.stdout.write(
            f"run {run.id}: {run.population_size} contracts, {run.results.count()} results"
        )
        for item in ranking.contracts(contract_rows(run))[: options["top"]]:
            codes = ", ".join(e["code"] for e in item.explanation)
            score = "—" if item.score is None else f"{item.score:.3f}"
            self.stdout.write(f"{score}  {item.key}  {item.institution}  [{codes}]")
