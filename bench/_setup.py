"""Django set-up for benchmark scripts: the database comes from BESA_DATABASE_URL."""

from __future__ import annotations

import os
import platform
import subprocess


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "besa.settings")
    os.environ.setdefault("BESA_DEBUG", "1")  # benchmarks run locally, never in production
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def machine() -> str:
    """A one-line description of the machine, for docs/benchmarks.md."""
    cpu = platform.processor() or platform.machine()
    try:
        model = (
            subprocess.run(
                ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo"], capture_output=True, text=True
            )
            .stdout.split(":")[-1]
            .strip()
        )
        cpu = model or cpu
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"
