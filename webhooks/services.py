"""Writes for webhooks: subscribe, unsubscribe, fan events out, attempt a delivery."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
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
from webhooks.models import Delivery, Webhook

USER_AGENT = "osce-portal-webhooks/1"
TIMEOUT_SECONDS = 10


def _resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def target_check(url: str) -> None:
    """Refuse a target that is not http(s), does not resolve, or (unless WEBHOOK_ALLOW_PRIVATE)
    resolves to a loopback, private, link-local or otherwise internal address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError({"url": _("Use an http:// or https:// address.")})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = _resolve(parts.hostname, port)
    except (OSError, ValueError, UnicodeError):
        raise ValidationError({"url": _("The host name of this address does not resolve.")}) from None
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return
    for raw in addresses:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise ValidationError(
                {"url": _("Webhooks may not target loopback, private or internal addresses.")}
            )


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
        Event.objects.filter(pk__in=[event.pk for event in events]).update(dispatched=timezone.now())
    return created


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_body(event: Event) -> bytes:
    payload = {"event": event.name, "occurred": event.occurred.isoformat(), "data": event.data}
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def delivery_attempt(*, delivery_id: int, final: bool = False) -> bool:
    """POST the event to the webhook; True when delivered (2xx). Safe to call again after success."""
    delivery = Delivery.objects.select_related("webhook", "event").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == Delivery.Status.DELIVERED:
        return True
    webhook = delivery.webhook
    body = delivery_body(delivery.event)
    status: int | None = None
    error = ""
    try:
        target_check(webhook.target)  # again at send time: DNS may have changed since
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            webhook.target,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Portal-Event": delivery.event.name,
                "X-Portal-Delivery": str(delivery.pk),
                "X-Portal-Signature": signature(webhook.secret, body),
            },
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        error = f"HTTP {exc.code}"
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except (OSError, ValueError) as exc:
        error = str(exc)[:500] or exc.__class__.__name__
    ok = status is not None and 200 <= status < 300
    now = timezone.now()
    fields: dict[str, Any] = {"last_attempt": now, "response_status": status, "error": "" if ok else error}
    if ok:
        fields.update(status=Delivery.Status.DELIVERED, delivered=now)
    elif final:
        fields["status"] = Delivery.Status.FAILED
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1, **fields)
    return ok
