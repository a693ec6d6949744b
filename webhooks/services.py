"""Writes for webhooks: subscribe, unsubscribe, fan events out, attempt a delivery."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ROLE_FOCAL_POINT, ROLE_HR
from core.audit import audit_record
from core.models import Event
from core.tasks import enqueue
from webhooks.models import Delivery, Webhook

USER_AGENT = "osce-portal-webhooks/1"
TIMEOUT_SECONDS = 10.0

# What a failed attempt records: short, fixed reasons, never the socket's own error text (which
# would map the internal network's addresses and ports for whoever owns the webhook). Stored and
# answered by the API as they are, like status codes: values for programs, not translated prose.
HOST_UNRESOLVED = "host did not resolve"
ADDRESS_NOT_ALLOWED = "address not allowed"
CONNECTION_REFUSED = "connection refused"
TIMED_OUT = "timed out"
TLS_ERROR = "TLS error"
CONNECTION_FAILED = "connection failed"
INVALID_RESPONSE = "invalid response"
REDIRECT_NOT_FOLLOWED = "redirect not followed"

# One resolved address: the socket family and the address to connect() to.
Address = tuple[socket.AddressFamily, tuple[Any, ...]]


class TargetRefused(Exception):
    """The target may not be contacted; ``reason`` is one of the short reasons above."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _resolve(host: str, port: int) -> list[Address]:
    """The addresses ``host`` resolves to (one DNS lookup)."""
    return [
        (family, sockaddr)
        for family, _type, _proto, _name, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    ]


def _is_public(raw: str) -> bool:
    address = ipaddress.ip_address(raw.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    return address.is_global and not address.is_multicast


def target_addresses(url: str) -> list[Address]:
    """Resolve the target's host once and check every address it resolves to.

    Raises TargetRefused when the URL is not http(s), the host does not resolve, or (unless
    WEBHOOK_ALLOW_PRIVATE) any address is loopback, private, link-local or otherwise internal.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise TargetRefused(HOST_UNRESOLVED)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = _resolve(parts.hostname, port)
    except (OSError, ValueError, UnicodeError):
        raise TargetRefused(HOST_UNRESOLVED) from None
    if not addresses:
        raise TargetRefused(HOST_UNRESOLVED)
    if not settings.WEBHOOK_ALLOW_PRIVATE and not all(_is_public(str(a[1][0])) for a in addresses):
        raise TargetRefused(ADDRESS_NOT_ALLOWED)
    return addresses


def target_check(url: str) -> None:
    """Refuse a target that is not http(s), does not resolve, or (unless WEBHOOK_ALLOW_PRIVATE)
    resolves to a loopback, private, link-local or otherwise internal address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError({"url": _("Use an http:// or https:// address.")})
    try:
        target_addresses(url)
    except TargetRefused as exc:
        if exc.reason == ADDRESS_NOT_ALLOWED:
            message = _("Webhooks may not target loopback, private or internal addresses.")
        else:
            message = _("The host name of this address does not resolve.")
        raise ValidationError({"url": message}) from None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to ``host`` whose TCP connection goes to addresses resolved and checked
    beforehand, so the HTTP library does no DNS lookup of its own (which a rebinding name could
    answer with an internal address). The Host header still names ``host``."""

    def __init__(self, host: str, port: int | None, *, addresses: list[Address], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        error: OSError = OSError()
        for family, sockaddr in self.addresses:  # in order, like socket.create_connection
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(sockaddr)
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.sock = sock
            return
        raise error


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """The same over TLS: SNI and certificate verification against the host name, not the IP."""

    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, TargetRefused):
        return exc.reason
    if isinstance(exc, TimeoutError):
        return TIMED_OUT
    if isinstance(exc, ConnectionRefusedError):
        return CONNECTION_REFUSED
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return TLS_ERROR
    if isinstance(exc, http.client.HTTPException):
        return INVALID_RESPONSE
    return CONNECTION_FAILED


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST ``body`` to ``url`` once; the answer's status and, unless 2xx, a short reason.

    A redirect is a failed attempt: its Location is never contacted.
    """
    try:
        addresses = target_addresses(url)
        parts = urlsplit(url)
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(
            str(parts.hostname), parts.port, addresses=addresses, timeout=TIMEOUT_SECONDS
        )
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", path, body=body, headers=headers)
            status = connection.getresponse().status
        finally:
            connection.close()
    except (TargetRefused, OSError, ValueError, http.client.HTTPException) as exc:
        return None, _failure_reason(exc)
    if 200 <= status < 300:
        return status, ""
    if 300 <= status < 400:
        return status, REDIRECT_NOT_FOLLOWED
    return status, f"HTTP {status}"


@transaction.atomic
def webhook_create(*, user: User, url: str, events: list[str], secret: str) -> Webhook:
    """Subscribe ``url`` to ``events``; deliveries are signed with ``secret``."""
    target_check(url)
    webhook = Webhook(user=user, target=url, events=sorted(set(events)), secret=secret)
    webhook.full_clean()
    webhook.save()
    audit_record(actor=user, action="webhook.created", target=webhook, data={"events": webhook.events})
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook, actor: User) -> None:
    audit_record(actor=actor, action="webhook.deleted", target=webhook, data={"events": webhook.events})
    webhook.delete()


def _subscribers(event: Event) -> Any:
    webhooks = Webhook.objects.filter(active=True, events__contains=[event.name], user__is_active=True)
    if event.visible_to_state_id is not None or event.visible_to_partner_id is not None:
        # Sent only to subscribers allowed to see the object: HR, and that State's (or Partner's)
        # focal points.
        own = (
            Q(user__focal_point__state_id=event.visible_to_state_id)
            if event.visible_to_state_id is not None
            else Q(user__focal_point__partner_id=event.visible_to_partner_id)
        )
        webhooks = webhooks.filter(
            Q(user__groups__name=ROLE_HR) | (Q(user__groups__name=ROLE_FOCAL_POINT) & own)
        ).distinct()
    return webhooks


def events_dispatch(*, limit: int = 500) -> list[int]:
    """Fan undispatched events out to their subscribers as pending deliveries; returns their ids.

    Rows are claimed with SKIP LOCKED, so two dispatchers never take the same event; the unique
    (webhook, event) constraint makes a repeated run harmless.
    """
    created: list[int] = []
    with transaction.atomic():
        events = list(
            Event.objects.select_for_update(skip_locked=True)
            .filter(dispatched__isnull=True)
            .order_by("id")[:limit]
        )
        for event in events:
            for webhook in _subscribers(event):
                delivery, was_created = Delivery.objects.get_or_create(webhook=webhook, event=event)
                if was_created:
                    created.append(delivery.pk)
                    # In the outbox with the delivery row: a delivery is never left without its task.
                    enqueue("webhooks.tasks.deliver", delivery.pk)
        Event.objects.filter(pk__in=[event.pk for event in events]).update(dispatched=timezone.now())
    return created


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_body(event: Event, *, attempted: datetime.datetime, attempt: int) -> bytes:
    """The signed body: the event, when it occurred, when this attempt was made and its number
    (a receiver can refuse a body whose ``attempted`` is stale: a replay)."""
    payload = {
        "event": event.name,
        "occurred": event.occurred.isoformat(),
        "attempted": attempted.isoformat(),
        "attempt": attempt,
        "data": event.data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def delivery_attempt(*, delivery_id: int, final: bool = False) -> bool:
    """POST the event to the webhook; True when delivered (2xx). Safe to call again after success.

    The host is resolved and checked again at send time (DNS may have changed since the webhook
    was created), and the connection goes to the address that was checked. The outcome is kept as
    the answer's status and a short reason; the last attempt fails the delivery when ``final``.
    """
    delivery = Delivery.objects.select_related("webhook", "event").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == Delivery.Status.DELIVERED:
        return True
    webhook = delivery.webhook
    attempted = timezone.now()
    attempt = delivery.attempts + 1
    body = delivery_body(delivery.event, attempted=attempted, attempt=attempt)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Portal-Event": delivery.event.name,
        "X-Portal-Delivery": str(delivery.pk),
        "X-Portal-Attempt": str(attempt),
        "X-Portal-Attempted": attempted.isoformat(),
        "X-Portal-Signature": signature(webhook.secret, body),
    }
    status, error = _post(webhook.target, body, headers)
    ok = not error
    now = attempted
    fields: dict[str, Any] = {"last_attempt": now, "response_status": status, "error": error}
    if ok:
        fields.update(status=Delivery.Status.DELIVERED, delivered=now)
    elif final:
        fields["status"] = Delivery.Status.FAILED
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(attempts=attempt, **fields)
    return ok
