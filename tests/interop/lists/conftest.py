"""Helpers for the list importers' tests: the real fixture files and small hand-made lists."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from stdnum.mx import rfc as stdnum_rfc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


def fixture_bytes(name: str) -> bytes:
    """A fixture file's original bytes (stored gzipped)."""
    return gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())


def valid_rfc(stem: str) -> str:
    """An RFC with a correct check digit: ``stem`` is the first 11 (moral) or 12 characters."""
    return stem + stdnum_rfc.calc_check_digit(stem)


def sat69b_file(
    rows: Iterable[tuple[str, str, str, str]], stated: str = "30 de junio de 2025"
) -> bytes:
    """A 69-B list in SAT's layout (cp1252, CRLF, two preamble lines): rows of
    (RFC, name, situation as SAT writes it, presumption publication dd/mm/yyyy)."""
    header = (
        "No,RFC,Nombre del Contribuyente,Situación del contribuyente,"
        "Número y fecha de oficio global de presunción SAT,Publicación página SAT presuntos,"
        "Número y fecha de oficio global de presunción DOF,Publicación DOF presuntos"
    )
    lines = [
        f"Información actualizada al {stated},,,,,,,",
        "Listado completo de contribuyentes (Artículo 69-B del CFF),,,,,,,",
        header,
    ]
    for number, (rfc, name, situation, published) in enumerate(rows, start=1):
        lines.append(f'{number},{rfc},"{name}",{situation},500-05-2025-1 de fecha x,{published},,')
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


SANCTIONS_HEADER = (
    "Proveedor,Dependencia,Número de Expediente,Hechos,Objeto Social,Sentido de Resolución,"
    "Fecha de Notificación,FechadeResolucion,Plazo años - meses,Monto,"
    "Nombre del Responsable de la información"
)


def sanctions_file(rows: Iterable[str], header: str = SANCTIONS_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def table_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every BESA table, for "identical database" comparisons."""
    dump = {}
    for model in apps.get_models():
        if not model.__module__.startswith("besa."):
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        dump[model._meta.label] = sorted(
            (tuple(str(v) for v in row) for row in model.objects.values_list(*names)),
        )
    return dump


@pytest.fixture
def importer(tmp_path: Path) -> Callable[..., tuple[int, str]]:
    """Run ``besa import SOURCE FILE ARGS…`` on ``data``; returns (exit status, output)."""

    def run(source: str, data: bytes, *args: str, name: str = "input.csv") -> tuple[int, str]:
        path = tmp_path / name
        path.write_bytes(data)
        out = io.StringIO()
        try:
            call_command("import", source, str(path), *args, stdout=out)
        except SystemExit as exit:
            return int(exit.code or 0), out.getvalue()
        return 0, out.getvalue()

    return run


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
