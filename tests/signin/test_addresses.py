"""The client's address behind trusted proxies only (besa.signin.addresses)."""

from __future__ import annotations

import pytest

from besa.signin.addresses import client_address, networks

PROXIES = networks(["10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    ("meta", "proxies", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.5"}, PROXIES, "203.0.113.5"),
        # Not from a trusted proxy: the header is the client's own claim.
        ({"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, PROXIES, "203.0.113.5"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, (), "10.0.0.2"),
        # From the proxy: the right-most address that is not a proxy.
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, PROXIES, "1.2.3.4"),
        (
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.3"},
            PROXIES,
            "1.2.3.4",
        ),
        ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, PROXIES, "2001:db8::7"),
        # Missing or malformed header: the proxy's address (never a made-up one).
        ({"REMOTE_ADDR": "10.0.0.2"}, PROXIES, "10.0.0.2"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, junk"}, PROXIES, "10.0.0.2"),
    ],
)
def test_client_address(meta: dict[str, str], proxies: tuple, expected: str) -> None:  # type: ignore[type-arg]
    assert client_address(meta, proxies) == expected


def test_a_bad_proxy_value_is_named() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        networks(["10.0.0.300"])
