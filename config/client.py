"""The client's address, the one way every part of the platform works it out.

Throttling (DRF) and sign-in lockouts (django-axes) both key on it. A client can write any
`X-Forwarded-For` it likes, so the header is read only as deep as the operator says its own
proxies wrote it (`PROXY_COUNT`, 0 by default: the socket's address).
"""

import ipaddress

from django.conf import settings

# A throttle or lockout key, never a place to store a client's essay.
_MAX_LENGTH = 64


def client_address(request) -> str:
    """With N proxies in front, each appending the address it saw, the client is the N-th
    entry from the right; with none, the socket's peer. Same rule as DRF's NUM_PROXIES."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote[:_MAX_LENGTH]
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    chosen = _address(forwarded[-min(count, len(forwarded))]) if forwarded else None
    # A hop that is not an address (a misconfigured count) falls back to the socket's peer:
    # lockouts store addresses, and a throttle key must be one.
    return chosen or remote[:_MAX_LENGTH]


def _address(entry: str) -> str | None:
    """The IP address of an X-Forwarded-For entry ("203.0.113.5", "203.0.113.5:4711",
    "[2001:db8::1]:443"), or None."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:
        candidates.append(entry[1 : entry.index("]")])
    elif entry.count(":") == 1:
        candidates.append(entry.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
