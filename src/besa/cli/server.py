"""Serving the WSGI application with waitress (pure Python, production-grade, no build)."""

from __future__ import annotations

import waitress

from besa.wsgi import application


def serve(host: str, port: int, threads: int = 8) -> None:
    """Serve until interrupted. Blocks."""
    waitress.serve(application, host=host, port=port, threads=threads, ident="besa")
