"""The published copy of the checkpoints: written as each checkpoint is made, never rewritten,
reachable as a directory or a URL, public in the open data, and caught up when it was down."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from tests.logbook.test_append import SUFFICIENCY
from tests.world import World

from besa.exceptions import PublicationError
from besa.logbook import publication, signing
from besa.logbook.actor import Actor
from besa.logbook.append import append
from besa.logbook.checkpoints import make_checkpoint, publish_pending
from besa.logbook.verify import verify


class TransparencyLog:
    """A loopback server that keeps what is POSTed and lists it on GET (another office)."""

    def __init__(self) -> None:
        self.held: list[dict[str, Any]] = []
        self.up = True
        log = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not log.up:
                    self.send_error(503)
                    return
                if all(c["number"] != body["number"] for c in log.held):
                    log.held.append(body)
                self.send_response(201)
                self.end_headers()

            def do_GET(self) -> None:
                if not log.up:
                    self.send_error(503)
                    return
                data = json.dumps(log.held).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/checkpoints"


@pytest.fixture
def remote(monkeypatch: pytest.MonkeyPatch) -> Iterator[TransparencyLog]:
    log = TransparencyLog()
    thread = threading.Thread(target=log.server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("BESA_CHECKPOINT_LOG", log.url)
    try:
        yield log
    finally:
        log.server.shutdown()
        log.server.server_close()


def _one_more(world: World, n: int) -> None:
    append(
        world.contracts["A1"],
        "budget_sufficiency",
        {**SUFFICIENCY, "oficio_number": f"OF/P/{n}"},
        actor=Actor.of(world.operator),
    )


def test_each_checkpoint_is_published_to_the_directory_once_and_never_rewritten(
    world: World,
) -> None:
    checkpoint = make_checkpoint()
    assert checkpoint is not None
    log = publication.configured()
    assert log.read() == [checkpoint.as_published()]
    log.append(checkpoint.as_published())  # publishing again is a no-op
    forged = {**checkpoint.as_published(), "merkle_root": "f" * 64}
    with pytest.raises(PublicationError, match="never rewritten"):
        log.append(forged)
    assert log.read() == [checkpoint.as_published()]


def test_checkpoints_posted_to_a_url_verify_and_a_missed_one_is_published_later(
    world: World, remote: TransparencyLog
) -> None:
    first = make_checkpoint()
    assert first is not None and [c["number"] for c in remote.held] == [1]
    remote.up = False
    _one_more(world, 1)
    second = make_checkpoint()  # the log is down: the checkpoint is made all the same
    assert second is not None and len(remote.held) == 1
    remote.up = True
    breaks = [b.describe() for b in verify().breaks]
    assert breaks == [
        f"checkpoint 2: is not in the published copy ({remote.url}): publish it with "
        "`besa checkpoint`, or the database holds a checkpoint nobody published"
    ]
    assert publish_pending() == 1
    assert [c["number"] for c in remote.held] == [1, 2]
    report = verify()
    assert report.intact and report.published == 2


def test_anyone_downloads_the_signed_checkpoints_and_the_trusted_key(world: World) -> None:
    checkpoint = make_checkpoint()
    assert checkpoint is not None
    response = Client().get("/api/opendata/checkpoints.json")
    assert response.status_code == 200
    body = response.json()
    assert body["checkpoints"] == [checkpoint.as_published()]
    assert body["public_keys"] == [{"key": signing.public_key_hex(), "until_checkpoint": None}]
    assert signing.is_valid(
        body["public_keys"][0]["key"], checkpoint.message(), checkpoint.signature
    )
