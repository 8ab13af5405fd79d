"""Documents marked public: the decision is a hashed logbook entry made by whoever may record
facts on the contract, and the citizens' portal lists and serves those documents only."""

from __future__ import annotations

import hashlib
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.world import World

from besa.documents import publicity
from besa.logbook.models import Entry
from besa.portal import public
from besa.reports import dossier

CONTRACT = b"%PDF-1.4\n% contrato firmado, version publica\n%%EOF\n"
ID_CARD = b"%PDF-1.4\n% identificacion oficial del representante\n%%EOF\n"


def _attach(client: Client, contract_id: object, data: bytes, title: str, **extra: str) -> str:
    response = client.post(
        f"/contratos/{contract_id}/documentos/",
        {"file": SimpleUploadedFile(f"{title}.pdf", data), "title": title, **extra},
        follow=True,
    )
    return response.content.decode()


def _status(client: Client, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    body = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    return response.status_code, body


def test_only_an_explicit_true_publishes() -> None:
    assert publicity.is_public({"public": True})
    assert not publicity.is_public({"public": False})
    assert not publicity.is_public({})  # recorded before the mark existed, or imported
    assert publicity.published([{"sha256": "a", "public": True}, {"sha256": "b"}]) == [
        {"sha256": "a", "public": True}
    ]


def test_the_operator_marks_a_document_public_when_attaching_it_and_the_mark_is_hashed(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]
    client.force_login(world.operator)
    _attach(client, contract.pk, CONTRACT, "Contrato firmado", public="on")
    _attach(client, contract.pk, ID_CARD, "Identificación")
    marks = [
        (e.payload["title"], e.payload.get("public"))
        for e in Entry.objects.filter(contract=contract, kind="document").order_by("sequence")
    ]
    assert marks == [("Contrato firmado", True), ("Identificación", False)]
    assert [d.title for d in public.documents(contract)] == ["Contrato firmado"]


def test_an_anonymous_citizen_gets_the_public_document_and_404_for_any_other(
    client: Client, world: World
) -> None:
    contract, other = world.contracts["A1"], world.contracts["B1"]
    client.force_login(world.operator)
    _attach(client, contract.pk, CONTRACT, "Contrato firmado", public="on")
    _attach(client, contract.pk, ID_CARD, "Identificación")
    client.logout()
    shown = hashlib.sha256(CONTRACT).hexdigest()
    hidden = hashlib.sha256(ID_CARD).hexdigest()
    page = client.get(f"/publico/contratos/{contract.pk}/").content.decode()
    assert f'href="/publico/contratos/{contract.pk}/documentos/{shown}/"' in page
    # The timeline still describes every entry (its fingerprint is in the verifiable record);
    # only the public file is listed and downloadable.
    assert f"/documentos/{hidden}/" not in page
    status, body = _status(client, f"/publico/contratos/{contract.pk}/documentos/{shown}/")
    assert (status, body) == (200, CONTRACT)
    for url in (
        f"/publico/contratos/{contract.pk}/documentos/{hidden}/",  # of the contract, not public
        f"/publico/contratos/{other.pk}/documentos/{shown}/",  # public, but of another contract
        f"/publico/contratos/{contract.pk}/documentos/{'0' * 64}/",
        f"/publico/contratos/{contract.pk}/documentos/not-a-hash/",
    ):
        assert _status(client, url)[0] == 404, url


def test_a_document_is_published_afterwards_and_withdrawn_by_new_entries(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]
    digest = hashlib.sha256(ID_CARD).hexdigest()
    client.force_login(world.coordinator)
    _attach(client, contract.pk, ID_CARD, "Acta de entrega")
    url = f"/contratos/{contract.pk}/documentos/{digest}/publicar/"
    page = client.post(url, {"public": "1"}, follow=True).content.decode()
    assert "«Acta de entrega» se publica en el portal ciudadano." in page
    assert [d.sha256 for d in public.documents(contract)] == [digest]
    client.post(url, {"public": "0"})
    assert public.documents(contract) == []
    decisions = Entry.objects.filter(contract=contract, kind="document").order_by("sequence")
    assert [e.payload.get("public") for e in decisions] == [False, True, False]
    client.logout()
    assert _status(client, f"/publico/contratos/{contract.pk}/documentos/{digest}/")[0] == 404


def test_a_read_only_role_cannot_publish(client: Client, world: World) -> None:
    contract = world.contracts["A1"]
    digest = hashlib.sha256(CONTRACT).hexdigest()
    client.force_login(world.operator)
    _attach(client, contract.pk, CONTRACT, "Contrato firmado")
    before = Entry.objects.count()
    client.force_login(world.oversight)
    page = client.post(
        f"/contratos/{contract.pk}/documentos/{digest}/publicar/", {"public": "1"}, follow=True
    ).content.decode()
    assert "Su función solo permite consultar este contrato." in page
    assert Entry.objects.count() == before and public.documents(contract) == []
    client.logout()  # a citizen is sent to sign in, nothing recorded
    assert client.post(f"/contratos/{contract.pk}/documentos/{digest}/publicar/").status_code == 302
    assert Entry.objects.count() == before


def test_files_attached_on_an_entry_form_can_be_published_with_it(
    client: Client, world: World
) -> None:
    contract = world.contracts["A1"]
    client.force_login(world.operator)
    url = f"/contratos/{contract.pk}/registrar/document/"
    typed = {"document_type": "contractSigned", "title": "Contrato firmado"}
    page = client.post(
        url,
        {
            **typed,
            "attachments": SimpleUploadedFile("contrato.pdf", CONTRACT),
            "attachments_public": "on",
            "step": "check",
        },
    ).content.decode()
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data.setdefault(name, []).append(value)
    assert client.post(url, {**data, "step": "confirm"}).status_code == 302
    entry = Entry.objects.get(contract=contract, kind="document")
    assert entry.documents[0]["public"] is True
    assert [d.title for d in public.documents(contract)] == ["contrato.pdf"]


def test_the_public_dossier_lists_the_public_documents_only(client: Client, world: World) -> None:
    contract = world.contracts["A1"]
    client.force_login(world.operator)
    _attach(client, contract.pk, CONTRACT, "Contrato firmado", public="on")
    _attach(client, contract.pk, ID_CARD, "Identificación")
    shown = dossier.context(contract, "es", public=True)["documents"]
    assert [d["name"] for d in shown] == ["Contrato firmado"]
    internal = dossier.context(contract, "es")["documents"]
    assert {d["name"] for d in internal} == {"Contrato firmado", "Identificación"}
