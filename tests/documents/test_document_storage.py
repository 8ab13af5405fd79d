"""Evidence documents are kept content-addressed, served only through a readable contract
that has them, uploaded over the API, and on S3 when the setting says so."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.interop.cfdi.cfdi_files import cfdi
from tests.world import World

from besa.documents import store
from besa.exceptions import DocumentRefused
from besa.interop.cfdi.upload import upload_cfdi
from besa.logbook.actor import Actor
from besa.logbook.models import Entry

PDF = b"%PDF-1.4\n% acta de entrega-recepcion\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200


def _location() -> Path:
    return Path(settings.STORAGES["documents"]["OPTIONS"]["location"])


def _stored_files() -> list[Path]:
    return [p for p in _location().rglob("*") if p.is_file()]


def _status(client: Client, url: str) -> int:
    """The status of GET ``url``. A file response is read to its end: the test client then
    closes it (an open file is an error) without closing the test's database connection."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.status_code


def _attach(client: Client, contract_id: object, data: bytes, name: str = "acta.pdf") -> object:
    return client.post(
        f"/contratos/{contract_id}/documentos/",
        {"file": SimpleUploadedFile(name, data), "title": "Acta de entrega"},
        follow=True,
    )


def test_a_file_is_stored_under_its_sha256_and_the_same_content_only_once(db: None) -> None:
    digest = hashlib.sha256(PDF).hexdigest()
    first = store.store(SimpleUploadedFile("acta.pdf", PDF))
    second = store.store(SimpleUploadedFile("otra-copia.pdf", PDF), title="Copia")
    assert first == {
        "title": "acta.pdf",
        "sha256": digest,
        "media_type": "application/pdf",
        "file_name": "acta.pdf",
    }
    assert second["sha256"] == digest and second["title"] == "Copia"
    assert _stored_files() == [_location() / digest[:2] / digest]
    assert (_location() / digest[:2] / digest).read_bytes() == PDF


def test_a_refused_file_is_not_stored(db: None) -> None:
    with pytest.raises(DocumentRefused):
        store.store(SimpleUploadedFile("factura.pdf", EXE))
    assert _stored_files() == []


def test_an_operator_attaches_and_downloads_a_document(client: Client, world: World) -> None:
    client.force_login(world.operator)
    contract = world.contracts["A1"]
    page = _attach(client, contract.pk, PDF).content.decode()  # type: ignore[attr-defined]
    assert "Documento «Acta de entrega» adjuntado." in page
    digest = hashlib.sha256(PDF).hexdigest()
    entry = Entry.objects.get(contract=contract, kind="document")
    assert entry.payload["sha256"] == digest and entry.payload["media_type"] == "application/pdf"
    assert f"/contratos/{contract.pk}/documentos/{digest}/" in page
    response = client.get(f"/contratos/{contract.pk}/documentos/{digest}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="acta.pdf"'
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    # The read-only oversight body of the same institution may read it too.
    client.force_login(world.oversight)
    assert _status(client, f"/contratos/{contract.pk}/documentos/{digest}/") == 200


def test_an_executable_renamed_pdf_is_refused_on_the_page(client: Client, world: World) -> None:
    client.force_login(world.operator)
    page = _attach(client, world.contracts["A1"].pk, EXE, "factura.pdf").content.decode()  # type: ignore[attr-defined]
    assert "«factura.pdf» es un programa ejecutable" in page
    assert not Entry.objects.filter(kind="document").exists() and _stored_files() == []
    client.cookies["django_language"] = "en"
    page = _attach(client, world.contracts["A1"].pk, EXE, "factura.pdf").content.decode()  # type: ignore[attr-defined]
    assert "«factura.pdf» is an executable program, not a document" in page


def test_a_read_only_role_cannot_attach(client: Client, world: World) -> None:
    client.force_login(world.oversight)
    page = _attach(client, world.contracts["A1"].pk, PDF).content.decode()  # type: ignore[attr-defined]
    assert "Su función solo permite consultar este contrato." in page
    assert not Entry.objects.filter(kind="document").exists() and _stored_files() == []


def test_download_is_scoped_to_contracts_the_user_may_read(client: Client, world: World) -> None:
    client.force_login(world.admin)
    other = world.contracts["B1"]
    _attach(client, other.pk, PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    assert _status(client, f"/contratos/{other.pk}/documentos/{digest}/") == 200
    client.force_login(world.operator)
    own = world.contracts["A1"]
    # The other institution's contract, its document, and the same hash through an own
    # contract that does not have it: all 404, like a hash never stored.
    assert _status(client, f"/contratos/{other.pk}/documentos/{digest}/") == 404
    assert _status(client, f"/contratos/{own.pk}/documentos/{digest}/") == 404
    assert _status(client, f"/contratos/{own.pk}/documentos/{'0' * 64}/") == 404
    assert _status(client, f"/contratos/{own.pk}/documentos/not-a-hash/") == 404


def test_the_api_uploads_a_document_to_attach_to_an_entry_and_downloads_it(
    client: Client, world: World
) -> None:
    client.force_login(world.operator)
    contract = world.contracts["A1"]
    response = client.post(
        f"/api/contracts/{contract.ocid}/documents",
        {"file": SimpleUploadedFile("oficio.pdf", PDF), "title": "Oficio de suficiencia"},
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    # Not yet attached to any entry: not downloadable.
    url = f"/api/contracts/{contract.ocid}/documents/{document['sha256']}"
    assert _status(client, url) == 404
    appended = client.post(
        f"/api/contracts/{contract.ocid}/entries",
        {
            "kind": "document",
            "payload": {"document_type": "contractAnnexe", **document},
        },
        content_type="application/json",
    )
    assert appended.status_code == 201, appended.content
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    refused = client.post(
        f"/api/contracts/{contract.ocid}/documents",
        {"file": SimpleUploadedFile("oficio.pdf", EXE)},
    )
    assert refused.status_code == 422 and refused.json()["field"] == "file"
    client.force_login(world.oversight)
    read_only = client.post(
        f"/api/contracts/{contract.ocid}/documents", {"file": SimpleUploadedFile("o.pdf", PDF)}
    )
    assert read_only.status_code == 403
    assert _status(client, url) == 200
    other = world.contracts["B1"]
    assert _status(client, f"/api/contracts/{other.ocid}/documents/{document['sha256']}") == 404


def test_an_uploaded_cfdi_keeps_its_xml_as_a_document(
    client: Client, world: World, settings: pytest.FixtureRequest
) -> None:
    settings.BESA_SAT_CFDI_CHECK = "fake"  # type: ignore[attr-defined]
    data = cfdi()
    result = upload_cfdi(world.contracts["A1"], data, actor=Actor.of(world.operator))
    digest = hashlib.sha256(data).hexdigest()
    assert result.entry.documents[0]["sha256"] == digest
    assert store.exists(digest)
    client.force_login(world.operator)
    response = client.get(f"/contratos/{world.contracts['A1'].pk}/documentos/{digest}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]


def _storage_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['documents']\n"
        "print(type(s).__module__, type(s).__name__, s.bucket_name, s.endpoint_url,"
        " s.location, s.default_acl, s.file_overwrite)\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BESA_", "AWS_"))}
    return subprocess.run(
        [sys.executable, "-c", script],
        env=base
        | {
            "DJANGO_SETTINGS_MODULE": "besa.settings",
            "BESA_SECRET_KEY": "x" * 50,
            "BESA_ALLOWED_HOSTS": "x",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_s3_storage_is_selected_by_setting_without_touching_the_network() -> None:
    done = _storage_in_subprocess(
        {
            "BESA_DOCUMENT_STORAGE": "s3",
            "BESA_S3_BUCKET": "besa-evidencia",
            "BESA_S3_ENDPOINT_URL": "http://minio.invalid:9000",
        }
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "besa-evidencia",
        "http://minio.invalid:9000",
        "documents",
        "None",
        "False",
    ]
    missing = _storage_in_subprocess({"BESA_DOCUMENT_STORAGE": "s3"})
    assert missing.returncode != 0 and "BESA_S3_BUCKET is not set" in missing.stderr


def test_files_attached_on_an_entry_form_are_kept_and_linked_from_the_timeline(
    client: Client, world: World
) -> None:
    import re

    contract = world.contracts["A1"]
    client.force_login(world.operator)
    url = f"/contratos/{contract.pk}/registrar/document/"
    typed = {"document_type": "completionCertificate", "title": "Acta de entrega"}
    refused = client.post(
        url, {**typed, "attachments": SimpleUploadedFile("acta.pdf", EXE), "step": "check"}
    )
    assert refused.status_code == 422
    assert "«acta.pdf» es un programa ejecutable" in refused.content.decode()
    assert _stored_files() == []
    page = client.post(
        url, {**typed, "attachments": SimpleUploadedFile("acta.pdf", PDF), "step": "check"}
    ).content.decode()
    digest = hashlib.sha256(PDF).hexdigest()
    assert store.exists(digest)  # kept as soon as it is uploaded, before the confirmation
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data.setdefault(name, []).append(value)
    assert client.post(url, {**data, "step": "confirm"}).status_code == 302
    timeline = client.get(f"/contratos/{contract.pk}/").content.decode()
    link = f"/contratos/{contract.pk}/documentos/{digest}/"
    assert f'href="{link}"' in timeline
    response = client.get(link)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_document_known_only_by_its_hash_is_named_without_a_download_link(
    client: Client, world: World
) -> None:
    """Imported and demo documents carry a SHA-256 but no stored file: the page names them
    and says so, instead of offering a link that answers 404."""
    from besa.logbook.append import append

    contract = world.contracts["A1"]
    digest = hashlib.sha256(b"never uploaded").hexdigest()
    append(
        contract,
        "document",
        {
            "document_type": "contractSigned",
            "title": "Contrato firmado (importado)",
            "sha256": digest,
            "media_type": "application/pdf",
        },
        actor=Actor.system("import:test"),
    )
    client.force_login(world.operator)
    page = client.get(f"/contratos/{contract.pk}/").content.decode()
    assert "Contrato firmado (importado)" in page
    assert "solo la huella: el archivo no se conservó en BESA" in page
    assert f"/documentos/{digest}/" not in page
    stored = store.store_bytes(PDF, title="Acta", file_name="acta.pdf")
    append(
        contract,
        "document",
        {"document_type": "contractAnnexe", **stored},
        actor=Actor.of(world.operator),
    )
    page = client.get(f"/contratos/{contract.pk}/").content.decode()
    assert f"/contratos/{contract.pk}/documentos/{stored['sha256']}/" in page


def test_the_contract_page_knows_its_kept_files_without_asking_the_storage(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On S3 each question to the storage is a request: the page reads which files are
    kept from the database, however many documents the contract has."""
    from besa.logbook.append import append

    contract = world.contracts["A1"]
    stored = store.store_bytes(PDF, title="Acta", file_name="acta.pdf")
    append(contract, "document", {"document_type": "contractAnnexe", **stored},
           actor=Actor.of(world.operator))  # fmt: skip

    def no_request(*args: object) -> bool:
        raise AssertionError("the contract page asked the storage")

    monkeypatch.setattr(store.storage(), "exists", no_request)
    client.force_login(world.operator)
    page = client.get(f"/contratos/{contract.pk}/").content.decode()
    assert f"/contratos/{contract.pk}/documentos/{stored['sha256']}/" in page
