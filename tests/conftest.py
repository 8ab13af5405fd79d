"""Shared fixtures: a small two-institution registry and one persona per role."""

from __future__ import annotations

import pytest
from tests.world import World, build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    # Hashing speed is not under test; PBKDF2's deliberate slowness would dominate run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    return build_world()
