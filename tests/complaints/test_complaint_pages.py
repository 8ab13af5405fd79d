"""The report pages: a citizen files from the public contract page without signing in, reads
the code once, and follows the state with it (by POST, never in a URL); abusive submissions
are refused with a page that says when to retry; the oversight inbox shows only its
institutions' reports and decides them; the reporter's identity never reaches a public page
or the open data."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.world import World

from besa.complaints import intake
from besa.complaints.models import Complaint, ComplaintState
from besa.complaints.views import HONEYPOT

TEXT = "El proveedor entregó medicinas caducadas en el almacén central el 3 de marzo."
CODE = re.compile(r'data-testid="follow-up-code">([0-9A-Z-]{19})<')


def _report(client: Client, world: World, unit: str = "A1", **data: object) -> object:
    form: dict[str, object] = {"text": TEXT, "identity": "anonymous", **data}
    return client.post(reverse("complaints:report", args=[world.contracts[unit].pk]), form)


def test_the_public_contract_page_invites_a_report_without_login(world: World) -> None:
    page = Client().get(reverse("portal:contract", args=[world.contracts["A1"].pk]))
    link = reverse("complaints:report", args=[world.contracts["A1"].pk])
    assert page.status_code == 200 and link.encode() in page.content
    form = Client().get(link)
    assert form.status_code == 200 and b'name="text"' in form.content
    assert HONEYPOT.encode() in form.content


def test_a_citizen_files_anonymously_gets_a_code_and_follows_it(world: World) -> None:
    citizen = Client()
    answer = _report(citizen, world)
    assert answer.status_code == 201 and "no-store" in answer["Cache-Control"]
    code = CODE.search(answer.content.decode())
    assert code is not None
    status = citizen.post(reverse("complaints:follow_up"), {"code": code.group(1)})
    assert status.status_code == 200 and "Recibida, en revisión" in status.content.decode()
    complaint = Complaint.objects.get()
    intake.dismiss(
        world.oversight, complaint.pk, reason="Los hechos ya se auditan en otro expediente."
    )
    later = citizen.post(reverse("complaints:follow_up"), {"code": code.group(1).lower()})
    text = later.content.decode()
    assert "Desestimada" in text and "Los hechos ya se auditan en otro expediente." in text
    assert "oic" not in text  # who decided is internal


def test_the_status_page_in_english(world: World) -> None:
    citizen = Client()
    citizen.cookies["django_language"] = "en"
    code = CODE.search(_report(citizen, world).content.decode())
    assert code is not None
    complaint = Complaint.objects.get()
    accepted = intake.accept(world.oversight, complaint.pk)
    text = citizen.post(reverse("complaints:follow_up"), {"code": code.group(1)}).content.decode()
    assert "Accepted into a case" in text and accepted.case_reference not in text


def test_a_bad_report_names_the_field_keeps_the_input_and_writes_nothing(world: World) -> None:
    answer = _report(Client(), world, text="poco", identity="identified", name="Juana")
    text = answer.content.decode()
    assert answer.status_code == 422 and 'href="#f-text"' in text and "poco" in text
    assert not Complaint.objects.exists()
    executable = SimpleUploadedFile("acta.pdf", b"MZ" + b"\x00" * 100)
    refused = _report(Client(), world, documents=[executable])
    assert refused.status_code == 422 and "programa ejecutable" in refused.content.decode()
    assert not Complaint.objects.exists()


def test_the_honeypot_refuses_and_says_what_to_do(world: World) -> None:
    answer = _report(Client(), world, **{HONEYPOT: "http://spam.example"})
    assert answer.status_code == 422 and "llenado automático" in answer.content.decode()
    assert not Complaint.objects.exists()


def test_repeated_submissions_are_refused_with_when_to_retry(
    world: World, settings: object
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 2  # type: ignore[attr-defined]
    abuser = Client(REMOTE_ADDR="203.0.113.50")
    assert _report(abuser, world).status_code == 201
    assert _report(abuser, world).status_code == 201
    refused = _report(abuser, world)
    assert refused.status_code == 429 and int(refused["Retry-After"]) <= 3600
    assert "Podrá enviar la suya a partir del" in refused.content.decode()
    assert Complaint.objects.count() == 2
    assert _report(Client(REMOTE_ADDR="198.51.100.4"), world).status_code == 201


def test_an_identified_reporter_never_appears_in_public_pages_or_open_data(world: World) -> None:
    contract = world.contracts["A1"]
    _report(
        Client(), world, identity="identified", name="Juana Reportera", email="juana@example.mx"
    )
    assert Complaint.objects.get().reporter_name == "Juana Reportera"
    public = [
        reverse("portal:contract", args=[contract.pk]),
        reverse("portal:ocds", args=[contract.pk]),
        reverse("portal:record", args=[contract.pk]),
        reverse("portal:entries_csv", args=[contract.pk]),
    ]
    for url in public:
        response = Client().get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Juana" not in body and b"juana@example.mx" not in body, url


def test_the_inbox_shows_only_the_oversight_bodys_institutions(world: World) -> None:
    _report(Client(), world, unit="A1")
    _report(Client(), world, unit="B1")
    mine, theirs = (
        Complaint.objects.get(contract=world.contracts["A1"]),
        Complaint.objects.get(contract=world.contracts["B1"]),
    )
    oic = Client()
    oic.force_login(world.oversight)
    inbox = oic.get(reverse("complaints:inbox")).content.decode()
    assert mine.folio in inbox and theirs.folio not in inbox
    assert oic.get(reverse("complaints:detail", args=[theirs.pk])).status_code == 404
    assert (
        oic.post(
            reverse("complaints:decide", args=[theirs.pk]),
            {"decision": "accept", "case_reference": "EXP-9"},
        ).status_code
        == 404
    )
    for user in (world.operator, world.coordinator):
        other = Client()
        other.force_login(user)
        refused = other.get(reverse("complaints:inbox"))
        assert refused.status_code == 403 and "área fiscalizadora" in refused.content.decode()
        assert other.get(reverse("complaints:detail", args=[mine.pk])).status_code == 403


def test_oversight_accepts_with_a_case_or_is_told_what_is_missing(world: World) -> None:
    _report(Client(), world, documents=[SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%%EOF\n")])
    complaint = Complaint.objects.get()
    oic = Client()
    oic.force_login(world.oversight)
    url = reverse("complaints:decide", args=[complaint.pk])
    missing = oic.post(url, {"decision": "accept", "case_reference": "EXP-NO-EXISTE"})
    assert missing.status_code == 422 and 'href="#f-case_reference"' in missing.content.decode()
    no_reason = oic.post(url, {"decision": "dismiss", "dismiss_reason": " "})
    assert no_reason.status_code == 422 and 'href="#f-dismiss_reason"' in no_reason.content.decode()
    assert Complaint.objects.get().state == ComplaintState.RECEIVED
    done = oic.post(url, {"decision": "accept", "case_reference": ""})  # a new case
    assert done.status_code == 302
    page = oic.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    number = Complaint.objects.get().case_reference
    assert number and number in page and 'data-testid="accept-form"' not in page
    (document,) = complaint.documents
    download = oic.get(reverse("complaints:document", args=[complaint.pk, document["sha256"]]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("code", ["", "1234", "7KQ2-M9XD-4RTB-W3HN"])
def test_the_status_page_explains_a_missing_bad_or_unknown_code(world: World, code: str) -> None:
    answer = Client().post(reverse("complaints:follow_up"), {"code": code})
    assert answer.status_code in (404, 422)
    assert 'data-testid="error-summary"' in answer.content.decode()


def test_control_characters_in_a_report_are_dropped_not_a_database_error(world: World) -> None:
    answer = _report(Client(), world, text=TEXT + "\x00\x07 fin\r\nsegunda línea")
    assert answer.status_code == 201
    assert Complaint.objects.get().text == TEXT + " fin\r\nsegunda línea"


def test_behind_a_trusted_proxy_each_citizen_has_its_own_limit(
    world: World, settings: object
) -> None:
    settings.BESA_COMPLAINTS_PER_ADDRESS_PER_HOUR = 1  # type: ignore[attr-defined]
    via_proxy = Client(REMOTE_ADDR="10.0.0.5")

    def from_(address: str) -> int:
        url = reverse("complaints:report", args=[world.contracts["A1"].pk])
        form = {"text": TEXT, "identity": "anonymous"}
        return via_proxy.post(url, form, HTTP_X_FORWARDED_FOR=address).status_code

    # Without the proxy trusted, the header is ignored: both citizens share the proxy's place.
    assert [from_("198.51.100.7"), from_("203.0.113.9")] == [201, 429]
    settings.BESA_TRUSTED_PROXIES = ("10.0.0.0/24",)  # type: ignore[attr-defined]
    assert [from_("198.51.100.8"), from_("203.0.113.10"), from_("198.51.100.8")] == [201, 201, 429]
