"""The client's address for the lock-out by address, trusting only the configured proxies.

Behind a reverse proxy every connection comes from the proxy; the client's address is in
``X-Forwarded-For``, which anyone can also send. The header is read only when the connection
comes from one of ``BESA_TRUSTED_PROXIES``, and then from the right: each proxy appends the
address it saw, so the right-most address that is not a trusted proxy is the client. Without
trusted proxies the header is ignored (a client could otherwise pick a fresh address for every
wrong password, or lock someone else's address out).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Parse addresses or CIDR networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); raises
    ``ValueError`` naming the bad value."""
    parsed = []
    for value in values:
        try:
            parsed.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP address or network") from exc
    return tuple(parsed)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(value: str, proxies: tuple[Network, ...]) -> bool:
    address = _address(value)
    return address is not None and any(address in network for network in proxies)


def client_address(meta: Mapping[str, Any], proxies: tuple[Network, ...]) -> str:
    """The client's address from a request's ``META``: ``REMOTE_ADDR`` unless it is a trusted
    proxy, in which case the right-most untrusted, well-formed address of
    ``X-Forwarded-For`` (the proxy's own address when the header is missing or malformed)."""
    remote = str(meta.get("REMOTE_ADDR") or "")
    if not proxies or not _trusted(remote, proxies):
        return remote
    hops = [h.strip() for h in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    for hop in reversed(hops):
        if _address(hop) is None:
            return remote  # a malformed hop: nothing left of it can be believed
        if not _trusted(hop, proxies):
            return hop
    return remote


def client_address_of(request: Any) -> str:
    """``client_address`` with the deployment's ``BESA_TRUSTED_PROXIES`` (django-axes'
    ``AXES_CLIENT_IP_CALLABLE``)."""
    from django.conf import settings

    return client_address(request.META, networks(settings.BESA_TRUSTED_PROXIES))
