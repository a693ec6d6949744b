"""Webhooks: subscribe through the API, fan-out with visibility, signed deliveries with retries."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings

from core.events import event_publish
from webhooks import services
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db
SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    def __init__(self, fail_first: int = 0) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append((dict(self.headers), body))
            failing = len(state.requests) <= state.fail_first
            self.send_response(500 if failing else 204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_anonymous_is_401(api) -> None:  # type: ignore[no-untyped-def]
    assert api.get("/api/v1/webhooks/").status_code == 401
    assert api.post("/api/v1/webhooks/", {}, format="json").status_code == 401


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_create_list_and_delete_own_webhooks(api_as, dave, alice) -> None:  # type: ignore[no-untyped-def]
    client = api_as(dave)
    response = client.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["vacancy.published"], "secret": SECRET},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"] == "http://127.0.0.1:9/hook" and body["events"] == ["vacancy.published"]
    assert "secret" not in body
    assert client.get("/api/v1/webhooks/").json()["count"] == 1
    # Another user sees nothing of it.
    other = api_as(alice)
    assert other.get("/api/v1/webhooks/").json()["count"] == 0
    assert other.get(f"/api/v1/webhooks/{body['id']}/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{body['id']}/").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{body['id']}/").status_code == 204
    assert not Webhook.objects.exists()


@override_settings(WEBHOOK_ALLOW_PRIVATE=False)
def test_private_and_malformed_targets_are_refused(api_as, dave) -> None:  # type: ignore[no-untyped-def]
    client = api_as(dave)
    for url in [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "ftp://example.org/x",
        "nonsense",
    ]:
        response = client.post(
            "/api/v1/webhooks/", {"url": url, "events": ["election.created"], "secret": SECRET}, format="json"
        )
        assert response.status_code == 400, url
        assert "url" in response.json()
    response = client.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1/x", "events": ["no.such"], "secret": SECRET},
        format="json",
    )
    assert response.status_code == 400
    assert not Webhook.objects.exists()


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_delivery_is_signed_and_recorded(receiver, dave, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    state, url = receiver
    webhook = services.webhook_create(user=dave, url=url, events=["election.created"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        event_publish(name="election.created", data={"id": 7, "state": "AT"})
    assert len(state.requests) == 1
    headers, body = state.requests[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Portal-Signature"] == expected
    payload = json.loads(body)
    assert payload["event"] == "election.created" and payload["data"] == {"id": 7, "state": "AT"}
    assert "occurred" in payload
    delivery = Delivery.objects.get(webhook=webhook)
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.response_status == 204
    # Each attempt carries its time and number, signed in the body and repeated in headers.
    assert payload["attempt"] == 1 and headers["X-Portal-Attempt"] == "1"
    attempted = datetime.datetime.fromisoformat(payload["attempted"])
    assert attempted == datetime.datetime.fromisoformat(headers["X-Portal-Attempted"])
    assert attempted == delivery.last_attempt


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_failed_delivery_is_retried_and_listed(receiver, api_as, dave) -> None:  # type: ignore[no-untyped-def]
    state, url = receiver
    state.fail_first = 2
    webhook = services.webhook_create(user=dave, url=url, events=["vacancy.closed"], secret=SECRET)
    event_publish(name="vacancy.closed", data={"reference": "VNBAHS00001"})
    (delivery_id,) = services.events_dispatch()
    from celery.exceptions import Retry

    from webhooks.tasks import deliver

    with pytest.raises(Retry) as retry:  # the first attempt fails: the task asks to be retried later
        deliver.apply(args=[delivery_id], throw=True)
    assert retry.value.when == 30
    assert services.delivery_attempt(delivery_id=delivery_id) is False  # second attempt: 500 again
    assert deliver.apply(args=[delivery_id], throw=True).get() is True  # third: delivered
    assert deliver.apply(args=[delivery_id], throw=True).get() is True  # again: nothing sent twice
    assert len(state.requests) == 3
    numbers = [json.loads(body)["attempt"] for _headers, body in state.requests]
    assert numbers == [1, 2, 3]
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == "delivered" and delivery.attempts == 3
    listing = api_as(dave).get(f"/api/v1/webhooks/{webhook.pk}/deliveries/").json()
    assert listing["count"] == 1 and listing["results"][0]["attempts"] == 3
    narrow = api_as(dave).get(f"/api/v1/webhooks/{webhook.pk}/deliveries/?fields=attempts,status").json()
    assert narrow["results"] == [{"status": "delivered", "attempts": 3}]


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_delivery_gives_up_after_the_last_retry(dave) -> None:  # type: ignore[no-untyped-def]
    services.webhook_create(
        user=dave, url="http://127.0.0.1:9/closed-port", events=["vacancy.closed"], secret=SECRET
    )
    event_publish(name="vacancy.closed", data={})
    (delivery_id,) = services.events_dispatch()
    assert services.delivery_attempt(delivery_id=delivery_id, final=True) is False
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == "failed" and delivery.error


def test_dispatch_is_idempotent_and_respects_visibility(alice, bob, carol, austria) -> None:  # type: ignore[no-untyped-def]
    with override_settings(WEBHOOK_ALLOW_PRIVATE=True):
        hooks = {
            user.username: services.webhook_create(
                user=user, url="http://127.0.0.1:9/x", events=["nomination.status_changed"], secret=SECRET
            )
            for user in (alice, bob, carol)
        }
    event_publish(name="nomination.status_changed", data={"id": 1}, visible_to_state=austria)
    first = services.events_dispatch()
    assert services.events_dispatch() == []  # a second run adds nothing
    reached = set(Delivery.objects.filter(pk__in=first).values_list("webhook__user__username", flat=True))
    assert reached == {"alice", "bob"}  # HR and Austria's focal point; not Germany's
    assert hooks["carol"].deliveries.count() == 0


def test_list_query_count_is_constant(api_as, dave, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = api_as(dave)
    for i in range(30):
        Webhook.objects.create(
            user=dave, target=f"https://example.org/{i}", events=["election.created"], secret=SECRET
        )
    # token lookup + token touch skipped within a minute: 1; count: 1; page: 1
    client.get("/api/v1/webhooks/")
    with django_assert_num_queries(3):
        client.get("/api/v1/webhooks/?page_size=200")


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_a_create_answers_only_the_fields_asked_for(api_as, dave) -> None:  # type: ignore[no-untyped-def]
    client = api_as(dave)
    body = {"url": "http://127.0.0.1:9/hook", "events": ["vacancy.published"], "secret": SECRET}
    assert client.post("/api/v1/webhooks/?fields=id,target", body, format="json").status_code == 400
    assert not Webhook.objects.exists()
    # The input keeps every field it takes (url, events, secret): only the answer is narrowed.
    created = client.post("/api/v1/webhooks/?fields=id,events", body, format="json")
    assert created.status_code == 201
    assert created.json() == {"id": Webhook.objects.get().pk, "events": ["vacancy.published"]}
    assert Webhook.objects.get().secret == SECRET
