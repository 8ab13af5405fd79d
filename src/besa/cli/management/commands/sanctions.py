"""``besa sanctions list|confirm|reject``: the manual step of name matching (rule A18)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from besa.exceptions import BesaError
from besa.interop.lists.matching import decide
from besa.registry.models import MatchStatus, SanctionMatch, User


class Command(BaseCommand):
    help = "List, confirm or reject name matches against the sanctioned suppliers directory."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="matches (pending by default)")
        listing.add_argument("--status", choices=[s.value for s in MatchStatus], default="pending")
        for action in ("confirm", "reject"):
            child = sub.add_parser(action, help=f"{action} a pending name match")
            child.add_argument("id", type=int)
            child.add_argument("--user", required=True, help="username of the coordinator/admin")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            matches = SanctionMatch.objects.filter(status=options["status"]).select_related(
                "supplier", "listing"
            )
            for m in matches:
                self.stdout.write(
                    f"{m.pk} {m.method} {m.confidence:3d} {m.supplier.rfc} "
                    f"{m.supplier.name!r} ~ {m.name_on_list!r} "
                    f"{m.listing.status} {m.listing.start}..{m.listing.end}"
                )
            self.stdout.write(f"{len(matches)} matches {options['status']}")
            return
        user = User.objects.filter(username=options["user"]).first()
        try:
            report = decide(
                options["id"], user, confirm=options["action"] == "confirm", now=timezone.now()
            )
        except BesaError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"match {options['id']} {options['action']}ed; re-evaluated {report.contracts} "
            f"running contracts, {report.opened} alerts opened, {report.corrected} corrected"
        )
