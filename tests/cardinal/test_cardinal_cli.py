"""``besa indicators|coverage|prepare`` on the command line: output, exit codes, messages."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.cardinal.helpers import FIXTURES


def besa(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-m", "besa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


EXAMPLES = FIXTURES / "examples"


def test_indicators_prints_one_line_of_compact_json_with_meta() -> None:
    done = besa(
        "indicators", "--settings", str(EXAMPLES / "settings.ini"), str(EXAMPLES / "R038.jsonl")
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and ": " not in done.stdout
    result = json.loads(done.stdout)
    assert result["Buyer"] == {"B": {"R038": 0.5}}
    assert result["Meta"]["R038"] == {
        "Buyer_q1": 0.5,
        "Buyer_q3": 0.5,
        "Buyer_upper_fence": 0.5,
        "Tenderer_q1": 0.0,
        "Tenderer_q3": 0.0,
        "Tenderer_upper_fence": 0.0,
    }


def test_no_meta_count_and_stdin(tmp_path: Path) -> None:
    data = (EXAMPLES / "R028.jsonl").read_text()
    done = besa(
        "indicators", "-s", str(EXAMPLES / "settings.ini"), "--no-meta", "--count", "-", stdin=data
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {}  # R028 is not in the docs' settings.ini
    ini = tmp_path / "s.ini"
    ini.write_text("[R028]\n")
    done = besa("indicators", "-s", str(ini), "--no-meta", "--count", "-", stdin=data)
    assert "Meta" not in json.loads(done.stdout)
    assert done.stderr.splitlines() == ["OCID: 1", "Tenderer: 2"]


def test_map_links_processes_to_organisations(tmp_path: Path) -> None:
    ini = tmp_path / "s.ini"
    ini.write_text("[R028]\n[R038]\n")
    done = besa("indicators", "-s", str(ini), "--map", "--no-meta", str(EXAMPLES / "R028.jsonl"))
    maps = json.loads(done.stdout)["Maps"]
    assert maps["ocid_tenderer"] == {"F": ["V", "D"]}
    assert maps["ocid_tenderer_r028"] == {"F": ["D", "V"]}
    assert set(maps) == {
        "ocid_tenderer",
        "ocid_buyer_r038",
        "ocid_procuringentity_r038",
        "ocid_tenderer_r024",
        "ocid_tenderer_r028",
        "ocid_tenderer_r030",
        "ocid_tenderer_r035",
        "ocid_tenderer_r058",
    }


def test_a_bad_setting_exits_2_naming_the_key(tmp_path: Path) -> None:
    ini = tmp_path / "bad.ini"
    ini.write_text("[R024]\nthreshold = high\n")
    done = besa("indicators", "-s", str(ini), str(EXAMPLES / "R024.jsonl"))
    assert done.returncode == 2 and done.stdout == ""
    assert "R024.threshold" in done.stderr


def test_an_invalid_json_line_is_skipped_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = (EXAMPLES / "R018.jsonl").read_text().strip()
    other = good.replace('"F"', '"G"')
    path.write_text(f"{good}\n\n{{not json\n{other}\n")
    ini = tmp_path / "s.ini"
    ini.write_text("[R018]\n")
    done = besa("indicators", "-s", str(ini), "--no-meta", str(path))
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"OCID": {"F": {"R018": 1.0}, "G": {"R018": 1.0}}}
    assert done.stderr.startswith("WARN Line 3 is invalid JSON")


def test_a_missing_file_exits_1() -> None:
    done = besa("indicators", "/nonexistent/file.jsonl")
    assert done.returncode == 1 and "/nonexistent/file.jsonl" in done.stderr


def test_the_django_command_runs_the_same_code(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "indicators",
        str(EXAMPLES / "R048.jsonl"),
        settings=str(EXAMPLES / "R048.ini"),
        no_meta=True,
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {"Tenderer": {"F": {"R048": 2.0}}}


def test_the_django_command_exits_2_on_bad_settings(tmp_path: Path) -> None:
    ini = tmp_path / "bad.ini"
    ini.write_text("[R999]\n")
    with pytest.raises(SystemExit) as caught:
        call_command(
            "indicators", str(EXAMPLES / "R048.jsonl"), settings=str(ini), stderr=io.StringIO()
        )
    assert caught.value.code == 2


def test_coverage_prints_counts() -> None:
    line = (
        '{"phoneNumbers":[{"type": "home","number": "212 555-1234"},'
        '{"type": "office","number": "646 555-4567"}]}'
    )
    done = besa("coverage", "-", stdin=line + "\n")
    assert json.loads(done.stdout) == {
        "": 1,
        "/": 1,
        "/phoneNumbers": 1,
        "/phoneNumbers[]": 2,
        "/phoneNumbers[]/": 2,
        "/phoneNumbers[]/type": 2,
        "/phoneNumbers[]/number": 2,
    }


def test_prepare_writes_data_and_issues(tmp_path: Path) -> None:
    out, errors = tmp_path / "out.jsonl", tmp_path / "issues.csv"
    data = '{"ocid":"ocds-213czf-1","bids":{"details":[{"id":1}]}}\n'
    done = besa("prepare", "--output", str(out), "--errors", str(errors), "-", stdin=data)
    assert done.returncode == 0, done.stderr
    assert out.read_text() == data
    assert errors.read_text() == '1,"ocds-213czf-1",/bids/details[]/status,0,,not set\n'


@pytest.mark.parametrize("command", ["indicators", "coverage"])
def test_a_missing_file_or_a_directory_exits_1_with_cardinals_wording(
    command: str, tmp_path: Path
) -> None:
    done = besa(command, str(tmp_path / "notfound"))
    assert done.returncode == 1
    assert (
        done.stderr == f"error: {tmp_path / 'notfound'}: No such file or directory (os error 2)\n"
    )
    done = besa(command, str(tmp_path))
    assert (
        done.returncode == 1 and done.stderr == f"error: {tmp_path}: Is a directory, not a file\n"
    )


def test_prepare_with_a_bad_input_writes_nothing(tmp_path: Path) -> None:
    out, errors = tmp_path / "out.jsonl", tmp_path / "issues.csv"
    done = besa("prepare", "-o", str(out), "-e", str(errors), str(tmp_path / "missing.jsonl"))
    assert done.returncode == 1 and not out.exists() and not errors.exists()
    ini = tmp_path / "bad.ini"
    ini.write_text("[defaults]\nbid_colour = red\n")
    done = besa(
        "prepare", "-s", str(ini), "-o", str(out), "-e", str(errors), str(EXAMPLES / "R024.jsonl")
    )
    assert done.returncode == 2 and "defaults.bid_colour" in done.stderr and not out.exists()
