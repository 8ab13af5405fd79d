"""Open data over HTTP: anonymous citizens download public files, streamed; private data
(alerts, the JSON API) stays out of their reach; the "Datos abiertos" page in both languages."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.test import Client
from tests.alerts.conftest import schedule
from tests.opendata.portfolio import Portfolio, at

from besa.alerts.queries import visible_alerts
from besa.logbook.actor import Actor
from besa.logbook.models import Entry


def body(response: object) -> bytes:
    assert isinstance(response, StreamingHttpResponse) or hasattr(response, "streaming_content")
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_a_citizen_downloads_the_contracts_csv_of_an_institution_streamed(
    client: Client, portfolio: Portfolio
) -> None:
    response = client.get("/api/opendata/contracts.csv?institution=INSTB")

    assert response.status_code == 200
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert "besa-contracts-INSTB.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    world = portfolio.world
    assert {r["ocid"] for r in rows} == {world.contracts[u].ocid for u in ("B1", "B2")}


def test_a_citizen_downloads_ocds_packages_for_a_period(
    client: Client, portfolio: Portfolio
) -> None:
    releases = json.loads(body(client.get("/api/opendata/ocds/releases.json?until=2024-12-31")))
    records = json.loads(body(client.get("/api/opendata/ocds/records.json?institution=INSTA")))

    assert {r["ocid"] for r in releases["releases"]} == {portfolio.old.ocid}
    assert len(records["records"]) == 3
    assert client.get("/api/opendata/ocds/other.json").status_code == 404


def test_a_citizen_downloads_the_workbook(client: Client, portfolio: Portfolio) -> None:
    response = client.get("/api/opendata/besa.xlsx")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames == ["contracts", "entries", "payments"]
    assert book["entries"].max_row - 1 == Entry.objects.count()


def test_bad_download_parameters_answer_422_naming_the_field(
    client: Client, portfolio: Portfolio
) -> None:
    for query, field in (("since=2025-02-30", "since"), ("institution=NOPE", "institution")):
        response = client.get(f"/api/opendata/contracts.csv?{query}")
        assert response.status_code == 422, query
        assert response.json()["field"] == field


def test_citizens_cannot_reach_private_data(client: Client, portfolio: Portfolio) -> None:
    assert client.get("/api/opendata/alerts.csv").status_code == 404
    assert client.get("/api/contracts").status_code == 401
    assert client.get("/api/entries").status_code == 401
    assert client.get("/api/alerts").status_code == 401
    public = b"".join(
        body(client.get(f"/api/opendata/{name}.csv"))
        for name in ("contracts", "entries", "payments")
    )
    world = portfolio.world
    for secret in (world.operator.username, world.admin.username + '"', "s3cr3t"):
        assert secret.encode() not in public


def test_a_token_holder_downloads_the_alerts_of_its_scope_only(
    client: Client, portfolio: Portfolio
) -> None:

    from besa.alerts.sweep import sweep
    from besa.logbook.append import append

    world = portfolio.world
    for unit in ("A2", "B1"):
        append(
            world.contracts[unit],
            "deliverable_schedule",
            schedule("2025-08-15"),
            actor=Actor.of(world.admin),
            occurred_at=at("2025-06-12"),
            now=at("2025-06-12"),
        )
    sweep(at("2025-08-18", 9))
    out = io.StringIO()
    call_command(
        "token",
        "create",
        "--user",
        world.coordinator.username,
        "--name",
        "OIC",
        stdout=out,
        stderr=io.StringIO(),
    )

    response = client.get(
        "/api/opendata/alerts.csv", headers={"Authorization": f"Bearer {out.getvalue().strip()}"}
    )

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert sorted(r["alert_id"] for r in rows) == sorted(
        str(a.id) for a in visible_alerts(world.coordinator)
    )
    assert rows and {r["institution_code"] for r in rows} == {"INSTA"}


def test_the_open_data_page_lists_downloads_in_spanish_and_english(
    client: Client, portfolio: Portfolio
) -> None:
    spanish = client.get("/datos-abiertos/?institution=INSTA&since=2025-01-01").content.decode()
    assert "Datos abiertos" in spanish and "Descargar" in spanish
    assert "/api/opendata/contracts.csv?institution=INSTA&amp;since=2025-01-01" in spanish
    assert "/api/opendata/ocds/records.json?institution=INSTA&amp;since=2025-01-01" in spanish
    assert 'href="/datos-abiertos/"' in client.get("/").content.decode()  # in the nav

    client.cookies["django_language"] = "en"
    english = client.get("/datos-abiertos/", headers={"Accept-Language": "en"}).content.decode()
    assert "Open data" in english and "Download" in english and "Descargar" not in english


def test_the_open_data_page_names_a_bad_date(client: Client, portfolio: Portfolio) -> None:
    response = client.get("/datos-abiertos/?since=ayer")

    assert response.status_code == 422
    assert "since" in response.content.decode()
