"""``besa prepare``: Cardinal-compatible; the work is in :mod:`besa.cardinal.cli`.

``besa prepare`` is normally dispatched before Django starts (see ``besa/__main__.py``); this
command makes the same interface available to ``call_command`` and ``django-admin``.
"""

from besa.cardinal.cli import django_command

Command = django_command("prepare")
