"""A contract's verifiable record: hashes, chain and Merkle inclusion proofs against the signed
checkpoints, checked by the standalone verifier (a subprocess, standard library only) and by
``besa verify --record``; one changed byte, a tampered proof or a wrong key fail it."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import random
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from tests.logbook.test_append import SUFFICIENCY
from tests.world import World

from besa.logbook import proofs, public_record, verify_record
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.checkpoints import make_checkpoint
from besa.logbook.merkle import merkle_root
from besa.opendata.checkpoints import published_checkpoints

VERIFIER = Path(verify_record.__file__)


@pytest.mark.parametrize("size", [*range(1, 18), 31, 32, 33, 100])
def test_every_leafs_proof_leads_to_the_root_the_checkpoints_sign(size: int) -> None:
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(size)]
    levels = proofs.tree_levels(hashes)
    root = merkle_root(hashes)
    for index, leaf in enumerate(hashes):
        path = proofs.inclusion_path(levels, index)
        assert verify_record.root_from_path(leaf, index, size, path) == root
        if size > 1:
            assert verify_record.root_from_path(leaf, (index + 1) % size, size, path) != root
            assert verify_record.root_from_path(leaf, index, size, path[:-1]) != root


def test_pure_python_ed25519_agrees_with_the_cryptography_library() -> None:
    rng = random.Random(14)
    for n in range(6):
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes_raw()
        message = rng.randbytes(n * 17)
        signature = key.sign(message)
        assert verify_record.ed25519_verify_pure(public, message, signature)
        assert not verify_record.ed25519_verify_pure(public, message + b"x", signature)
        bent = bytearray(signature)
        bent[rng.randrange(64)] ^= 1 << rng.randrange(8)
        assert not verify_record.ed25519_verify_pure(public, message, bytes(bent))
        other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
        assert not verify_record.ed25519_verify_pure(other, message, signature)


@pytest.fixture
def record_files(world: World, tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """A1's record after a checkpoint (its registration) plus one newer entry, and the
    published checkpoints as a citizen downloads them."""
    contract = world.contracts["A1"]
    make_checkpoint()
    append(contract, "budget_sufficiency", SUFFICIENCY, actor=Actor.of(world.operator))
    record = public_record.build(contract)
    record_path = tmp_path / "registro.json"
    record_path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    checkpoints_path = tmp_path / "checkpoints.json"
    checkpoints_path.write_text(json.dumps(published_checkpoints()), encoding="utf-8")
    return record_path, checkpoints_path, record


def _standalone(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # -I -S: isolated, without the site module: no site-packages at all (so no cryptography;
    # the pure-Python Ed25519 verification runs), the standard library only.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_record_verifies_and_says_which_entries_no_checkpoint_covers_yet(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    record_path, checkpoints_path, record = record_files
    first, second = record["entries"]
    assert first["proof"] is not None and first["coverage"] == "checkpoint 1"
    assert second["proof"] is None and second["coverage"] == "not yet covered by a checkpoint"
    assert record["not_yet_covered"] == 1
    done = _standalone(record_path, "--checkpoints", checkpoints_path)
    assert done.returncode == 0, done.stderr
    assert "VERIFIED" in done.stdout and "1 proven included" in done.stdout
    assert "entries 2 not yet covered by a checkpoint" in done.stdout
    assert "signatures checked with pure-Python Ed25519" in done.stdout


def test_the_verifier_reads_the_checkpoints_from_their_url(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    record_path, checkpoints_path, _ = record_files
    folder = str(checkpoints_path.parent)

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/checkpoints.json"
        done = _standalone(record_path, "--checkpoints", url)
        missing = _standalone(record_path, "--checkpoints", url.replace(".json", "-x.json"))
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr
    assert missing.returncode == 2 and "cannot read the input" in missing.stderr


def test_the_record_withholds_the_natural_persons_rfc_and_name_and_the_user(
    record_files: tuple[Path, Path, dict[str, Any]], world: World
) -> None:
    record_path, _, _ = record_files
    text = record_path.read_text(encoding="utf-8")
    assert len(world.supplier.rfc) == 13
    for secret in (world.supplier.rfc, world.supplier.name, "González", world.operator.username):
        assert f'"{secret}"' not in text
    assert '"$commitment"' in text


def test_besa_verify_record_checks_against_the_trusted_key_and_published_copy(
    record_files: tuple[Path, Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    record_path, _, _ = record_files
    call_command("verify", record=str(record_path))
    assert "VERIFIED" in capsys.readouterr().out


def _rewrite(path: Path, record: dict[str, Any]) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def test_changing_one_byte_of_an_entry_fails_naming_the_entry(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    record_path, checkpoints_path, record = record_files
    raw = record_path.read_bytes()
    at = raw.index(b'"20000000.00"')  # the registration's amount, in entry 1
    changed = raw[: at + 1] + b"3" + raw[at + 2 :]
    record_path.write_bytes(changed)
    done = _standalone(record_path, "--checkpoints", checkpoints_path)
    assert done.returncode == 1
    first = record["entries"][0]
    assert f"entry sequence 1 (id {first['id']})" in done.stderr
    assert "content does not match its hash" in done.stderr


def test_besa_verify_record_names_the_altered_entry(
    record_files: tuple[Path, Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    record_path, _, record = record_files
    record["entries"][1]["content"]["payload"]["oficio_number"] = "DGPyP/0457/2025"
    _rewrite(record_path, record)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify", record=str(record_path))
    assert exit_.value.code == 1
    second = record["entries"][1]
    assert f"entry sequence 2 (id {second['id']})" in capsys.readouterr().err


def test_a_tampered_proof_fails(record_files: tuple[Path, Path, dict[str, Any]]) -> None:
    record_path, checkpoints_path, record = record_files
    proof = record["entries"][0]["proof"]
    assert proof["path"], "the checkpoint covers the four registrations: the path has siblings"
    sibling = proof["path"][0]
    proof["path"][0] = ("0" if sibling[0] != "0" else "1") + sibling[1:]
    _rewrite(record_path, record)
    done = _standalone(record_path, "--checkpoints", checkpoints_path)
    assert done.returncode == 1
    assert "entry sequence 1" in done.stderr and "inclusion proof" in done.stderr


def test_an_entry_that_hides_its_proof_fails(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    record_path, checkpoints_path, record = record_files
    record["entries"][0]["proof"] = None
    _rewrite(record_path, record)
    done = _standalone(record_path, "--checkpoints", checkpoints_path)
    assert done.returncode == 1
    assert "no inclusion proof although a checkpoint covers it" in done.stderr


def test_a_wrong_key_fails_and_a_forged_checkpoint_fails(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    record_path, checkpoints_path, record = record_files
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    done = _standalone(record_path, "--key", stranger)
    assert done.returncode == 1
    assert "checkpoint 1 is not signed by a trusted key" in done.stderr
    # A checkpoint re-signed by someone else's key, keys swapped inside the record: the
    # citizen's own copy of the checkpoints still catches it.
    forger = Ed25519PrivateKey.generate()
    checkpoint = record["checkpoints"][0]
    checkpoint["merkle_root"] = "ab" * 32
    message = verify_record.checkpoint_messages(checkpoint)[0]
    checkpoint["signature"] = forger.sign(message).hex()
    checkpoint["public_key"] = forger.public_key().public_bytes_raw().hex()
    record["public_keys"] = [{"key": checkpoint["public_key"], "until_checkpoint": None}]
    _rewrite(record_path, record)
    done = _standalone(record_path, "--checkpoints", checkpoints_path)
    assert done.returncode == 1
    assert "checkpoint 1 is not signed by a trusted key" in done.stderr


def test_without_a_trusted_key_the_verifier_says_it_proves_consistency_only(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    record_path, _, _ = record_files
    done = _standalone(record_path)
    assert done.returncode == 0, done.stderr
    assert "consistent, not that it comes from the deployment" in done.stdout


def test_the_verifier_imports_nothing_outside_the_standard_library() -> None:
    source = VERIFIER.read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    # cryptography is optional: imported inside a try, with the pure-Python fallback
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}
    assert "except ImportError:\n        return ed25519_verify_pure" in source


def test_besa_verify_record_fails_when_the_deployment_trusts_another_key(
    record_files: tuple[Path, Path, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record_path, _, _ = record_files
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    monkeypatch.setenv("BESA_CHECKPOINT_PUBLIC_KEY", stranger)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify", record=str(record_path))
    assert exit_.value.code == 1
    assert "checkpoint 1 is not signed by a trusted key" in capsys.readouterr().err


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))]
    return [path]


def _bent(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return "x"
    if isinstance(value, int):
        return value - 1 if value else 1
    text = str(value)
    return (chr(ord(text[0]) ^ 1) + text[1:]) if text else "x"


def test_every_value_of_every_entry_is_bound_except_its_global_seq(
    record_files: tuple[Path, Path, dict[str, Any]],
) -> None:
    """Change any one value of an entry (its content at any depth, hash, prev_hash, id,
    sequence, kind, coverage, any step of its proof) and the verifier fails naming it.
    ``seq`` (the global order) is bound only to its checkpoint's range: not tried."""
    _, checkpoints_path, record = record_files
    published = json.loads(checkpoints_path.read_text(encoding="utf-8"))
    keys = verify_record._keys(published["public_keys"])
    tried = 0
    for index, entry in enumerate(record["entries"]):
        for path in _leaves(entry):
            if path in {("seq",)}:
                continue
            altered = json.loads(json.dumps(record))
            node = altered["entries"][index]
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = _bent(node[path[-1]])
            result = verify_record.verify(altered, keys, published["checkpoints"])
            assert not result.verified, path
            named = (f"entry sequence {entry['sequence']} ", f"(id {entry['id']})")
            assert any(n in p for p in result.problems for n in named), (path, result.problems)
            tried += 1
    assert tried > 40
