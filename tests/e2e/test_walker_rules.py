"""The page walker's detectors find what they are meant to, and only that (no browser)."""

from __future__ import annotations

from tests.e2e.walker import Shown, followed, pattern, problems, untranslated_fragments


def test_internal_codes_reprs_none_and_bilingual_pairs_are_found() -> None:
    text = (
        "Entrega tardía de deliverable:E4\nPago payment:886cb6db-1f2a sin factura\n"
        "{'rule': 'A12'} ['x'] None\nvalor desconocido / unknown value\n"
        "Pago sin entrega aceptada: paid_beyond_accepted\n"
        "A08 Entrega inadecuada (rechazada / parcial)"
    )
    found = problems(Shown(text, cells=("H", "Alta", "M ", "contract")), "es")
    assert "internal identifier: 'paid_beyond_accepted'" in found
    assert "bare internal code in a cell: 'contract'" in found
    assert not any("rechazada" in p for p in found)  # a slash between Spanish words
    assert "internal code: 'deliverable:E4'" in found
    assert "internal code: 'payment:886cb6db-1f2a'" in found
    assert any(p.startswith("Python repr:") and "{'rule'" in p for p in found)
    assert any(p.startswith("Python value:") and "None" in p for p in found)
    assert "bilingual text: 'valor desconocido / unknown value'" in found
    assert found.count("bare severity code in a cell: 'H'") == 1
    assert "bare severity code in a cell: 'M '" in found
    assert not any("Alta" in p for p in found)


def test_clean_pages_and_rule_codes_as_secondary_labels_pass() -> None:
    text = "Pago tardío (A12)\nSeveridad alta\n3 de 10 entregas\nNone of them late? no"
    clean = "Pago tardío (A12)\nSeveridad alta\n3 de 10 entregas\nbesa@example.org contracts.csv"
    assert problems(Shown(clean + "\nRecent actions None available"), "es") == []
    (found,) = problems(Shown(text), "es")  # a bare None is one, even in a sentence
    assert found.startswith("Python value: ") and "None of them" in found


def test_spanish_left_on_an_english_page_is_found() -> None:
    fragment = "Administración Pública Federal"  # a msgid of the catalogue, translated there
    assert any(pattern.search(fragment) for pattern in untranslated_fragments())
    page = Shown(f"Contracts\n{fragment}\nAdquisición de medicamentos", labels=("Fecha de pago",))
    found = problems(page, "en")
    assert f"untranslated (catalogue): {fragment!r}" in found
    # data that merely starts like a UI string (a document's title) is not one
    assert problems(Shown("Documents\nActa de entrega-recepción E2"), "en") == []
    assert "Spanish label or heading: 'Fecha de pago'" in found
    assert problems(Shown("", labels=("Payment date",)), "es") == [
        "English label or heading: 'Payment date'"
    ]
    # data in Spanish (a contract's title) is not a UI string; English labels pass
    assert problems(Shown("Adquisición de medicamentos", labels=("Payment date",)), "en") == []


def test_links_group_by_kind_of_page_and_downloads_are_not_followed() -> None:
    origin = "http://localhost:8000"
    assert pattern(f"{origin}/contratos/0c76d314-98a8-4214-b467-c6777a9e132e/") == (
        "/contratos/{id}/"
    )
    assert pattern(f"{origin}/riesgo/contratos/ocds-besa00-0c76d314-98a8/?x=1&page=2") == (
        "/riesgo/contratos/{id}/?page&x"
    )
    assert followed(f"{origin}/alertas/", origin)
    assert followed(f"{origin}/admin/", origin)
    assert not followed(f"{origin}/admin/registry/contract/", origin)
    assert not followed(f"{origin}/api/opendata/contracts.csv", origin)
    assert not followed("https://example.org/", origin)
