"""Reading OCDS in every shape, streamed, and refusing broken files with a clear message."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from besa.exceptions import InvalidInput, UnreadableFile
from besa.interop.ocds.reader import MAX_TOKEN_BYTES, read

FIXTURES = Path(__file__).parents[2] / "fixtures" / "mexico-ocds"
RELEASE = {"ocid": "ocds-abc123-1", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _ocids(path: Path) -> list[tuple[int | None, str, str]]:
    return [(i.line, i.path, i.data.get("ocid", "")) for i in read(path, max_bytes=1 << 30)]


def test_a_release_package_yields_each_release_with_its_path(tmp_path: Path) -> None:
    package = {"publisher": {"name": "CDMX"}, "releases": [RELEASE, {**RELEASE, "id": "2"}]}
    path = _write(tmp_path, "p.json", orjson.dumps(package, option=orjson.OPT_INDENT_2))
    items = list(read(path, max_bytes=1 << 20))
    assert [(i.line, i.path, i.data["id"]) for i in items] == [
        (None, "releases[0]", "1"),
        (None, "releases[1]", "2"),
    ]
    assert {i.publisher for i in items} == {"CDMX"}


def test_a_gzipped_record_package_as_published_is_read(tmp_path: Path) -> None:
    path = FIXTURES / "jalisco-ocds-xs1qbl-SFIN-03-0001-00-2017.json.gz"
    items = list(read(path, max_bytes=1 << 30))
    assert [i.path for i in items] == ["records[0]"]
    assert "compiledRelease" in items[0].data


def test_a_lone_record_without_ocid_is_one_item_not_a_package() -> None:
    items = list(
        read(FIXTURES / "cdmx-OCDS-87SD3T-SEFIN-DRM-A-006-2016.json.gz", max_bytes=1 << 30)
    )
    assert len(items) == 1 and {"compiledRelease", "releases"} <= items[0].data.keys()


def test_json_lines_report_their_line_numbers_and_unpack_packages(tmp_path: Path) -> None:
    lines = [
        orjson.dumps(RELEASE),
        b"",
        orjson.dumps({"releases": [{**RELEASE, "ocid": "ocds-abc123-2"}]}),
    ]
    path = _write(tmp_path, "r.jsonl.gz", gzip.compress(b"\n".join(lines) + b"\n"))
    assert _ocids(path) == [(1, "", "ocds-abc123-1"), (3, "releases[0]", "ocds-abc123-2")]


def test_a_json_array_of_releases_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", orjson.dumps([RELEASE, RELEASE]))
    assert [p for _, p, _ in _ocids(path)] == ["[0]", "[1]"]


def test_a_utf8_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.json", b"\xef\xbb\xbf" + orjson.dumps({"releases": [RELEASE]}))
    assert _ocids(path) == [(None, "releases[0]", "ocds-abc123-1")]


@pytest.mark.parametrize(
    ("name", "data", "field", "message"),
    [
        ("cut.json", b'{"releases": [{"ocid": "ocds-abc123-1"}, {"o', "cut.json: byte",
         "truncated"),
        ("cut.jsonl", orjson.dumps(RELEASE) + b'\n{"ocid": "x", "id\n', "cut.jsonl: line 2",
         "truncated"),
        ("latin1.json", '{"releases": [{"ocid": "Adquisición"}]}'.encode("latin-1"),
         "latin1.json: byte", "not UTF-8"),
        ("latin1.jsonl", orjson.dumps(RELEASE) + b'\n{"ocid": "caf\xe9"}\n', "latin1.jsonl: line 2",
         "not UTF-8"),
        ("empty.json", b"  \n", "empty.json", "empty file"),
    ],
)  # fmt: skip
def test_broken_files_are_refused_naming_the_file_and_place(
    tmp_path: Path, name: str, data: bytes, field: str, message: str
) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(InvalidInput) as caught:
        list(read(path, max_bytes=1 << 20))
    assert caught.value.field.startswith(field)
    assert message in caught.value.message


def _lines(n: int) -> bytes:
    return b"\n".join(orjson.dumps({**RELEASE, "id": f"release-{i}"}) for i in range(n))


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("utf16.json", '{"releases": []}'.encode("utf-16"), "UTF-16"),
        ("bad.gz", b"\x1f\x8bnot really gzip", "invalid gzip"),
        ("cut.jsonl.gz", _half(gzip.compress(_lines(2000))), "truncated"),
    ],
)
def test_a_file_that_cannot_be_read_at_all_is_unreadable_naming_the_file(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(UnreadableFile) as caught:
        list(read(path, max_bytes=1 << 30))
    assert caught.value.path == name
    assert reason in caught.value.reason


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.json", orjson.dumps({"releases": [RELEASE] * 50}))
    with pytest.raises(InvalidInput, match=r"exceeds|more than the limit") as caught:
        list(read(path, max_bytes=100))
    assert caught.value.field == "big.json"


def test_a_gzip_that_expands_past_the_limit_is_refused(tmp_path: Path) -> None:
    data = gzip.compress(orjson.dumps({"releases": [RELEASE] * 2000}))
    path = _write(tmp_path, "bomb.json.gz", data)
    assert len(data) < 20_000
    with pytest.raises(InvalidInput, match="exceeds the limit of 20000 bytes"):
        list(read(path, max_bytes=20_000))


@pytest.mark.parametrize(
    ("name", "before", "token", "after"),
    [
        ("lines.jsonl", orjson.dumps(RELEASE) + b'\n{"ocid": "x", "title": "', b"a", b'"}\n'),
        ("first.jsonl", b'{"ocid": "x", "title": "', b"a", b'"}\n' + orjson.dumps(RELEASE)),
        ("package.json", b'{"releases": [{"ocid": "x", "title": "', b"a", b'"}]}'),
        ("number.json", b'{"releases": [{"ocid": "x", "value": ', b"1", b"}]}"),
        # Escaped quotes do not end a string: still one token.
        ("escaped.json", b'{"releases": [{"ocid": "x", "title": "', b'\\"', b'"}]}'),
    ],
)
def test_a_single_json_value_longer_than_the_limit_is_refused_naming_the_place(
    tmp_path: Path, name: str, before: bytes, token: bytes, after: bytes
) -> None:
    size = MAX_TOKEN_BYTES + 1024
    path = _write(tmp_path, name, before + token * (size // len(token)) + after)
    with pytest.raises(InvalidInput) as refused:
        list(read(path, max_bytes=1 << 30))
    assert refused.value.field.startswith(f"{name}: byte ~")
    assert "longer than 4194304 bytes" in refused.value.message


def test_long_values_under_the_limit_and_many_short_ones_are_read(tmp_path: Path) -> None:
    long = "ñ" * (MAX_TOKEN_BYTES // 2 - 64)  # two bytes each in UTF-8
    many = [{**RELEASE, "id": str(n), "description": 'x\\"y' * 50} for n in range(2000)]
    package = {"releases": [{**RELEASE, "title": long}, *many]}
    path = _write(tmp_path, "p.json", orjson.dumps(package))
    items = list(read(path, max_bytes=1 << 30))
    assert len(items) == 2001 and items[0].data["title"] == long
