"""``besa token create|revoke|list``: API tokens for systems.

``create`` prints the token once on stdout (and only there): store it in the calling system's
secret store; BESA keeps only its hash.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from besa.api import tokens
from besa.exceptions import InvalidInput, NotFound
from besa.registry.models import User


class Command(BaseCommand):
    help = "API tokens: `create --user U --name N [--expires-days D]`, `revoke REF`, `list`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token acting as USER")
        create.add_argument("--user", required=True, help="username of the owner")
        create.add_argument("--name", required=True, help="what system holds it")
        create.add_argument("--expires-days", type=int, help="valid for this many days")
        revoke = sub.add_parser("revoke", help="revoke a token")
        revoke.add_argument("reference", help="the token's id, shown beginning or name")
        sub.add_parser("list", help="list tokens (never their secrets)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        try:
            if options["action"] == "create":
                self._create(options, now)
            elif options["action"] == "revoke":
                row = tokens.revoke(options["reference"], now)
                self.stdout.write(f"revoked {row.id} {row.name} ({row.shown}…)")
            else:
                self._list(now)
        except (InvalidInput, NotFound) as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, options: dict[str, Any], now: dt.datetime) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"--user: no such user: {options['user']}")
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days: must be 1 or more")
        expires = now + dt.timedelta(days=days) if days else None
        row, token = tokens.issue(user, options["name"], now, expires_at=expires)
        self.stderr.write(f"token {row.id} for {user.username}; shown once, store it now:")
        self.stdout.write(token)

    def _list(self, now: dt.datetime) -> None:
        for item in tokens.listing():
            state = "active"
            if item["revoked_at"]:
                state = "revoked"
            elif item["expires_at"] and item["expires_at"] <= now:
                state = "expired"
            expires = item["expires_at"].isoformat() if item["expires_at"] else "-"
            used = item["last_used_at"].isoformat() if item["last_used_at"] else "-"
            self.stdout.write(
                f"{item['id']}  {item['shown']}…  {item['name']}  user={item['user']}  "
                f"{state}  expires={expires}  last_used={used}"
            )
