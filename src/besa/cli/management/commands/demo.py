import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from besa.cli import worker
from besa.cli.server import serve
from besa.demo import seed
from besa.risk.portfolio import Scope, run_portfolio
from besa.signin.devices import DEMO_KEY_BASE32


class Command(BaseCommand):
    # It runs `migrate` first, which reinstalls missing triggers before checking.
    requires_system_checks: list[str] = []
    help = (
        "Migrate, load the demo data set when the database is empty, and serve the web app "
        "with the background worker running in the same process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=seed.DEFAULT_SEED)
        parser.add_argument(
            "--contracts", type=int, default=seed.N_CONTRACTS, help="size of the demo"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="migrate and seed, then exit (for scripts)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if seed.is_empty():
            self.stdout.write(
                "Cargando datos de demostración (unos minutos la primera vez) / "
                "loading demo data (a few minutes the first time)…"
            )
            self.stdout.flush()
            summary = seed.load(seed=options["seed"], n_contracts=options["contracts"])
            self.stdout.write(summary.describe())
            # The risk pages read stored runs: score the new portfolio once (`besa risk`).
            run = run_portfolio(Scope())
            self.stdout.write(f"Riesgo / risk: {run.population_size} contratos / contracts")
        if options["no_serve"]:
            return
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"\nBESA está listo / BESA is ready: {url}\n")
        self.stdout.write("Cuentas de demostración / demo accounts (usuario / contraseña):")
        for account in seed.DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role:<12} {account.username:<14} {account.password}")
        self.stdout.write(
            "admin y fiscalizador piden además un código (segundo factor): la página lo muestra "
            "en la demostración /\nadmin and fiscalizador also ask for a code (second factor): "
            f"the demo shows it on the page (TOTP key {DEMO_KEY_BASE32})"
        )
        stop = threading.Event()
        thread = threading.Thread(target=worker.loop, args=(stop,), name="worker", daemon=True)
        thread.start()
        try:
            serve(options["host"], options["port"])
        finally:
            stop.set()
            thread.join(timeout=10)
