"""Delivering status events to employers' webhooks: signed requests, retries, and the
guard against server-side request forgery. The events themselves are made in
`certification/events.py`; `certification/tasks.py` runs the attempts in the background.

A delivery is `POST` of the event's JSON with the headers
`Fairrecruit-Event-Id: <uuid>` and `Fairrecruit-Signature: t=<unix time>,v1=<hex>` where
the hex is HMAC-SHA256, keyed with the webhook's secret, of `<unix time>.<body>`.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from certification.models import DeliveryState, WebhookDelivery

logger = logging.getLogger(__name__)


class UnsafeURL(ValueError):
    pass


# --- where a webhook may point -----------------------------------------------------------

# IPv6 ranges that carry an IPv4 address inside them: the address really reached is the
# embedded one, so it must be public too (a NAT64 gateway turns 64:ff9b::a9fe:a9fe into the
# cloud metadata service 169.254.169.254).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: translated to anything
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = []
    if ip.ipv4_mapped:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found.extend(ip.teredo)  # the Teredo server and the client's own address
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")


def _public_ipv4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast


def _allowed_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return settings.WEBHOOK_ALLOW_LOOPBACK
    if ip.version == 4:
        return _public_ipv4(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d
        return _allowed_address(str(ip.ipv4_mapped))
    embedded = _embedded_ipv4(ip)
    if embedded and not all(_public_ipv4(inner) for inner in embedded):
        return False
    if ip in _NAT64:
        return True  # the public IPv4 address inside it is what is reached
    # Global unicast only: site-local (fec0::/10), SIIT (::ffff:0:0:0/96) and other old or
    # special ranges that Python counts as global are refused.
    return ip in _GLOBAL_UNICAST and ip.is_global


def _is_loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or bool(ip.version == 6 and ip.ipv4_mapped and ip.ipv4_mapped.is_loopback)


def resolve(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to), or UnsafeURL. Every address the name
    resolves to must be public, so that a name cannot point inside our network; no user or
    password in the URL (it would travel in the Host header); port 443 only, unless
    WEBHOOK_ALLOWED_PORTS lists more (loopback in development: any port)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeURL(gettext("the URL must be https://"))
    if "@" in parts.netloc:
        raise UnsafeURL(gettext("the URL must not contain a user name or password"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL(gettext("the URL's port is not a port number")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeURL(gettext("%(host)s does not resolve") % {"host": parts.hostname}) from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses or not all(_allowed_address(a) for a in addresses):
        raise UnsafeURL(
            gettext("%(host)s resolves to a private, loopback or link-local address")
            % {"host": parts.hostname}
        )
    local = all(_is_loopback(a) for a in addresses)  # allowed only in development
    if parts.scheme == "http" and not local:
        raise UnsafeURL(gettext("the URL must be https://"))
    if port not in settings.WEBHOOK_ALLOWED_PORTS and not local:
        raise UnsafeURL(
            gettext("port %(port)s is not allowed: webhooks are sent to port %(allowed)s")
            % {
                "port": port,
                "allowed": ", ".join(str(p) for p in settings.WEBHOOK_ALLOWED_PORTS),
            }
        )
    return parts.scheme, parts.hostname, port, addresses[0]


def validate_webhook_url(url: str) -> None:
    try:
        resolve(url)
    except UnsafeURL as error:
        raise ValidationError({"url": str(error)}) from None


# --- delivery ------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address checked, while verifying the certificate of the host name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP, to a loopback address in development only."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict) -> int:
    scheme, host, port, address = resolve(url)  # again: the name may point elsewhere now
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, settings.WEBHOOK_TIMEOUT_SECONDS)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers={**headers, "Host": parts.netloc})
        return connection.getresponse().status
    finally:
        connection.close()


def retry_delay(attempts: int) -> timedelta:
    """Exponential: base, 2 base, 4 base …, at most an hour apart."""
    return timedelta(seconds=min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600))


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to; `retry_at` is when the next one is due, if any."""

    state: str
    retry_at: datetime | None = None


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take the delivery for one attempt, in a short transaction of its own: counted, and
    its next attempt pushed past this one's time-out, so that a second worker leaves it."""
    with transaction.atomic(durable=True):
        # Only the delivery's row: locking the joined webhook too would make a worker skip
        # every other delivery of that webhook while one is being claimed, and lose it.
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != DeliveryState.PENDING:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None  # another worker is on it, or its retry is not due yet
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + timedelta(seconds=2 * settings.WEBHOOK_TIMEOUT_SECONDS)
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    return delivery


def attempt_delivery(delivery_id: int) -> Attempt:
    """One attempt. The request is sent outside any transaction, so that no row stays
    locked while a slow receiver answers; the outcome is written afterwards."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return Attempt("skipped")
    body = json.dumps(delivery.event.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "fairrecruit-webhooks/1",
        "Fairrecruit-Event-Id": str(delivery.event_id),
        "Fairrecruit-Signature": sign(delivery.webhook.secret, int(time.time()), body),
    }
    try:
        status_code = post(delivery.webhook.url, body, headers)
        error = "" if 200 <= status_code < 300 else f"HTTP {status_code}"
    except (UnsafeURL, OSError, http.client.HTTPException) as failure:
        status_code, error = None, str(failure) or failure.__class__.__name__
    except Exception as failure:  # a claimed delivery must get its outcome written, whatever
        logger.exception("webhook delivery %s: unexpected failure", delivery.pk)
        status_code, error = None, failure.__class__.__name__
    done = timezone.now()
    delivery.last_status_code, delivery.last_error = status_code, error
    if not error:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryState.DELIVERED,
            done,
            None,
        )
    elif done - delivery.event.occurred_at >= timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
        delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
    else:
        delivery.next_attempt_at = done + retry_delay(delivery.attempts)
    with transaction.atomic(durable=True):
        delivery.save(
            update_fields=[
                "state",
                "last_status_code",
                "last_error",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    if error:
        logger.warning("webhook delivery %s attempt %s: %s", delivery.pk, delivery.attempts, error)
    retry_at = delivery.next_attempt_at if delivery.state == DeliveryState.PENDING else None
    return Attempt(delivery.state, retry_at)
