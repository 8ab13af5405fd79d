"""Citizen reports: a citizen files about a public contract (anonymously or not) and gets a
follow-up code; only its hash is kept; the oversight body competent for the contract's
institution accepts it into a case or dismisses it with a reason, once."""

from __future__ import annotations

import hashlib

import pytest
from tests.world import World

from besa.audits.models import AuditCase, Source
from besa.complaints import code as codes
from besa.complaints import intake
from besa.complaints.models import Complaint, ComplaintState
from besa.documents.store import exists
from besa.exceptions import DocumentRefused, InvalidInput, NotFound, PermissionDenied
from besa.registry.models import Role, User

TEXT = "El proveedor entregó medicinas caducadas en el almacén central el 3 de marzo."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(contract: object, **changes: object) -> intake.Filed:
    fields: dict[str, object] = {"text": TEXT, "anonymous": True, "address": "203.0.113.7"}
    fields.update(changes)
    return intake.file(contract, **fields)  # type: ignore[arg-type]


def test_a_code_is_16_symbols_in_four_groups_and_reads_back_whatever_the_spelling() -> None:
    code = codes.new_code()
    assert len(code) == 19 and code.count("-") == 3
    spelled = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert codes.digest(spelled) == codes.digest(code)
    assert codes.normalise("ABCD-EFGH") is None
    assert codes.normalise("UUUU-UUUU-UUUU-UUUU") is None  # U is not in Crockford's alphabet
    assert len({codes.new_code() for _ in range(200)}) == 200


def test_an_anonymous_report_keeps_only_the_codes_hash_and_no_identity(world: World) -> None:
    contract = world.contracts["A1"]
    filed = _file(contract, name="Juana Pérez", email="juana@example.mx")
    stored = Complaint.objects.get(pk=filed.complaint.pk)
    assert stored.anonymous and stored.reporter_name == "" and stored.reporter_email == ""
    assert stored.code_digest == hashlib.sha256(filed.code.replace("-", "").encode()).hexdigest()
    assert filed.code not in str(Complaint.objects.filter(pk=stored.pk).values().get())
    assert stored.institution == world.inst_a and stored.state == ComplaintState.RECEIVED
    assert intake.look_up(filed.code.lower(), address="198.51.100.1") == stored


def test_an_identified_report_needs_a_name_and_an_email(world: World) -> None:
    contract = world.contracts["A1"]
    with pytest.raises(InvalidInput) as missing:
        _file(contract, anonymous=False, name="", email="juana@example.mx")
    assert missing.value.field == "name"
    with pytest.raises(InvalidInput) as bad:
        _file(contract, anonymous=False, name="Juana Pérez", email="juana")
    assert bad.value.field == "email"
    filed = _file(contract, anonymous=False, name="Juana Pérez", email="juana@example.mx")
    assert filed.complaint.reporter_name == "Juana Pérez"
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "field"), [("muy corto", "text"), ("x" * (intake.MAX_TEXT + 1), "text")]
)
def test_a_report_too_short_or_too_long_is_refused_naming_the_text(
    world: World, text: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _file(world.contracts["A1"], text=text)
    assert refused.value.field == field
    assert not Complaint.objects.exists()


def test_documents_go_through_the_document_policy(world: World) -> None:
    contract = world.contracts["A1"]
    with pytest.raises(DocumentRefused) as refused:
        _file(contract, uploads=[intake.Upload("acta.pdf", b"MZ\x90\x00" + b"\x00" * 64)])
    assert refused.value.reason == "executable"
    too_many = [intake.Upload(f"{i}.pdf", PDF) for i in range(intake.MAX_FILES + 1)]
    with pytest.raises(InvalidInput) as many:
        _file(contract, uploads=too_many)
    assert many.value.field == "documents"
    assert not Complaint.objects.exists()
    filed = _file(contract, uploads=[intake.Upload("acta.pdf", PDF)])
    (document,) = filed.complaint.documents
    assert document["media_type"] == "application/pdf" and exists(document["sha256"])


def test_a_file_over_the_complaint_limit_is_refused(world: World, settings: object) -> None:
    settings.BESA_DOCUMENT_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(DocumentRefused) as refused:
        _file(world.contracts["A1"], uploads=[intake.Upload("big.pdf", PDF + b"0" * 100)])
    assert refused.value.reason == "too_large"


def test_oversight_accepts_a_report_into_a_new_audit_case_and_the_citizen_sees_it(
    world: World,
) -> None:
    filed = _file(world.contracts["A2"])
    accepted = intake.accept(world.oversight, filed.complaint.pk)
    assert accepted.state == ComplaintState.ACCEPTED and accepted.decided_by == world.oversight
    case = AuditCase.objects.get(number=accepted.case_reference)
    assert case.source == Source.COMPLAINT and case.source_reference == accepted.folio
    assert list(case.contracts.all()) == [world.contracts["A2"]]
    # The audited institution reads the case's steps: the reporter's words are not among them.
    assert filed.complaint.text not in case.reason and filed.code not in case.source_reference
    seen = intake.look_up(filed.code, address="198.51.100.1")
    assert seen is not None and seen.state == ComplaintState.ACCEPTED
    with pytest.raises(InvalidInput) as again:
        intake.dismiss(world.oversight, filed.complaint.pk, reason="Ya no procede.")
    assert again.value.field == "state"


def test_an_existing_case_must_cover_the_contract_and_dismissing_needs_a_reason(
    world: World,
) -> None:
    filed = _file(world.contracts["A1"])
    other = intake.accept(world.oversight, _file(world.contracts["A2"]).complaint.pk)
    for reference in ("EXP-NO-EXISTE", other.case_reference):  # unknown; covers A2 only
        with pytest.raises(InvalidInput) as no_case:
            intake.accept(world.oversight, filed.complaint.pk, case_reference=reference)
        assert no_case.value.field == "case_reference"
    assert Complaint.objects.get(pk=filed.complaint.pk).state == ComplaintState.RECEIVED
    second = _file(world.contracts["A2"]).complaint
    joined = intake.accept(world.oversight, second.pk, case_reference=other.case_reference)
    assert joined.case_reference == other.case_reference
    assert AuditCase.objects.count() == 1
    with pytest.raises(InvalidInput) as no_reason:
        intake.dismiss(world.oversight, filed.complaint.pk, reason="")
    assert no_reason.value.field == "public_reason"
    dismissed = intake.dismiss(
        world.oversight, filed.complaint.pk, reason="Los hechos no se refieren a este contrato."
    )
    assert dismissed.state == ComplaintState.DISMISSED
    assert dismissed.public_reason == "Los hechos no se refieren a este contrato."


def test_a_report_is_seen_and_decided_only_by_the_competent_oversight_body(world: World) -> None:
    in_a = _file(world.contracts["A1"]).complaint
    in_b = _file(world.contracts["B1"]).complaint
    other = User.objects.create_user("oic-b", password="x", role=Role.OVERSIGHT)
    other.oversees.set([world.inst_b])
    assert list(Complaint.objects.visible_to(world.oversight)) == [in_a]
    assert list(Complaint.objects.visible_to(other)) == [in_b]
    assert set(Complaint.objects.visible_to(world.admin)) == {in_a, in_b}
    for nobody in (world.operator, world.coordinator):
        assert not Complaint.objects.visible_to(nobody).exists()
        with pytest.raises(PermissionDenied):
            intake.accept(nobody, in_a.pk)
    with pytest.raises(NotFound):
        intake.accept(world.oversight, in_b.pk)
    assert Complaint.objects.get(pk=in_b.pk).state == ComplaintState.RECEIVED


def test_a_code_that_is_not_one_is_named_and_an_unknown_code_finds_nothing(world: World) -> None:
    with pytest.raises(InvalidInput) as bad:
        intake.look_up("1234", address="198.51.100.1")
    assert bad.value.field == "code"
    assert intake.look_up(codes.new_code(), address="198.51.100.1") is None
