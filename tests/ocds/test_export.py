"""besa export ocds: the demo's records and releases validate against the patched OCDS 1.1.5
package schemas with 0 errors, and ocdsmerge reproduces our compiled releases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command

from besa.demo import seed
from besa.ocds.schema import merger, validate_record_package, validate_release_package


@pytest.fixture(scope="module")
def exported(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict, dict]:
    out = tmp_path_factory.mktemp("export")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        from django.db import transaction

        with transaction.atomic():
            seed.load(seed=3, today=dt.date(2026, 11, 1))
            call_command("export", "ocds", "--records", "--out", str(out / "records.json"))
            call_command("export", "ocds", "--releases", "--out", str(out / "releases.json"))
            transaction.set_rollback(True)
    return (
        orjson.loads((out / "records.json").read_bytes()),
        orjson.loads((out / "releases.json").read_bytes()),
    )


def test_the_record_package_validates_with_no_errors(exported: tuple[dict, dict]) -> None:
    records, _ = exported
    assert len(records["records"]) == 2000
    assert validate_record_package(records) == []


def test_the_release_package_validates_with_no_errors(exported: tuple[dict, dict]) -> None:
    _, releases = exported
    assert len(releases["releases"]) >= 2000
    assert validate_release_package(releases) == []


def test_ocdsmerge_of_our_releases_reproduces_our_compiled_release(
    exported: tuple[dict, dict],
) -> None:
    records, _ = exported
    for record in records["records"][:200]:
        assert merger().create_compiled_release(record["releases"]) == record["compiledRelease"]


def test_an_export_never_leaves_a_partial_file(tmp_path: Path, db: None) -> None:
    call_command("export", "ocds", "--releases", "--out", str(tmp_path / "r.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
