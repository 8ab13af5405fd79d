"""``besa export ocds|csv|xlsx``: open data files of a selection of contracts.

The selection is by institution and by **signing date** (``--since``/``--until``, inclusive;
see ``besa.opendata.selection``). Public data only, except ``csv --view alerts``, which needs
``--user`` and exports that user's scope. Written to ``FILE.partial`` and renamed, so a failed
export never leaves a half file under the final name.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from besa.exceptions import InvalidInput
from besa.opendata import flat, packages, writers
from besa.opendata.selection import Selection, contracts, parse_day
from besa.registry.models import User


class Command(BaseCommand):
    help = (
        "Export open data: `ocds --records|--releases`, `csv --view V`, `xlsx`; "
        "--out FILE [--institution CODE] [--since DATE] [--until DATE] (signing date)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["ocds", "csv", "xlsx"])
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument("--records", action="store_true", help="ocds: a record package")
        kind.add_argument("--releases", action="store_true", help="ocds: a release package")
        parser.add_argument(
            "--view", choices=sorted(flat.VIEWS), help="csv: which flat view (xlsx: all public)"
        )
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--institution", help="only this institution's contracts (code)")
        parser.add_argument("--since", help="signed on or after this date (YYYY-MM-DD)")
        parser.add_argument("--until", help="signed on or before this date (YYYY-MM-DD)")
        parser.add_argument("--user", help="export within this user's scope (needed for alerts)")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, out = options["format"], options["out"]
        try:
            selection = Selection(
                institution=options["institution"],
                since=parse_day("--since", options["since"]),
                until=parse_day("--until", options["until"]),
            )
            user = self._user(options["user"])
            view = self._view(fmt, options["view"], user)
            selected = contracts(selection, user)
        except InvalidInput as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        if fmt == "ocds" and not (options["records"] or options["releases"]):
            raise CommandError("ocds: choose --records or --releases")
        tmp = out.with_name(out.name + ".partial")
        try:
            if fmt == "ocds":
                with tmp.open("wb") as handle:
                    count = packages.write(handle, selected, records=options["records"])
                what = "records" if options["records"] else "releases"
            elif fmt == "csv":
                assert view is not None
                count = writers.write_csv(tmp, view, view.rows(selected, None))
                what = f"{view.name} rows"
            else:
                names = flat.PUBLIC_VIEWS if user is None else tuple(flat.VIEWS)
                counts = writers.write_xlsx(
                    tmp, [(flat.VIEWS[n], flat.VIEWS[n].rows(selected, None)) for n in names]
                )
                count, what = (
                    sum(counts.values()),
                    "rows (" + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ")",
                )
            tmp.replace(out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"--out: {exc}") from exc
        self.stdout.write(f"{count} {what} written to {out}")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InvalidInput("--user", f"no existe / no such active user: {username}")
        return user

    def _view(self, fmt: str, name: str | None, user: User | None) -> flat.FlatView | None:
        if fmt != "csv":
            return None
        if not name:
            raise InvalidInput("--view", "obligatoria con csv / required with csv")
        view = flat.VIEWS[name]
        if not view.public and user is None:
            raise InvalidInput("--view", f"{name} no es pública: use --user / not public")
        return view
