"""Every alert page of a (small) demo, in both languages, shows words and no internal code.

The demo seeds the catalogue's defects (``besa.demo.histories``) and evaluates the rules as
``besa demo`` does; this walks the inbox, the dashboard, "my work" and one alert page per rule
and kind of subject, as each demo persona, and looks for what must never be shown: subjects'
codes, states' values, setting names, Python values, the stored bilingual summaries.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from besa.alerts.models import Alert
from besa.demo import seed
from besa.registry.models import User

TODAY = dt.date(2026, 11, 20)
FORBIDDEN = re.compile(
    r"deliverable:|payment:|invoice:|guarantee:|supplier:|amendment:|rescission:|budget:|"
    r"in_attention|not_resolved|\bNone\b|\bTrue\b|\bFalse\b|\{'|\['|"
    r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b"
)


@pytest.fixture
def in_demo(db: None) -> None:
    seed.load(seed=seed.DEFAULT_SEED, today=TODAY, n_contracts=240)


def _text(html: str) -> str:
    """The visible text: tags (and their attributes, which hold test ids) removed."""
    return re.sub(r"<[^>]+>", " ", html)


def _check(client: Client, url: str, language: str) -> str:
    """The page at ``url`` (200), in ``language``, with nothing forbidden in its visible text;
    returns its HTML."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html, (url, language)
    text = _text(html)
    found = FORBIDDEN.search(text)
    assert found is None, (url, text[max(0, found.start() - 80) : found.end() + 80])
    return html


def _evidence(html: str) -> str:
    match = re.search(r'<ul class="evidence"[^>]*>(.*?)</ul>', html, re.S)
    assert match is not None
    return _text(match.group(1))


def test_the_demos_alert_pages_are_in_words_for_every_persona_and_language(
    client: Client, in_demo: None
) -> None:
    samples: dict[tuple[str, str], Alert] = {}
    for alert in Alert.objects.order_by("rule", "opened_at"):
        samples.setdefault((alert.rule, alert.subject.split(":")[0]), alert)
    assert len({rule for rule, _ in samples}) >= 18  # most of the catalogue is in the demo
    client.force_login(User.objects.get(username="admin"))
    for language in ("es", "en"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        for alert in samples.values():
            html = _check(client, f"/alertas/{alert.id}/", language)
            evidence = _evidence(html)
            assert evidence.strip() and "—" not in evidence, (alert.rule, evidence)
            assert alert.summary[:40] not in html  # the stored bilingual summary
        _check(client, "/alertas/", language)
        _check(client, "/alertas/?state=active&sort=severity", language)
        _check(client, "/tablero/", language)
    for username in ("coordinador", "operador", "fiscalizador"):
        client.force_login(User.objects.get(username=username))
        landing = client.get("/inicio/")
        assert landing.status_code == 302
        for language in ("es", "en"):
            client.post("/i18n/setlang/", {"language": language, "next": "/"})
            _check(client, landing["Location"], language)
            _check(client, "/alertas/", language)
