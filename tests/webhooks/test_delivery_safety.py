"""Webhook deliveries cannot be turned inward: no redirect followed, the connection made to the
address that was checked, failures recorded as short reasons. Real sockets on loopback."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme
from django.test import override_settings

from core.events import event_publish
from webhooks import services
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db
SECRET = "s3cret-shared-with-the-receiver"
REAL_GETADDRINFO = socket.getaddrinfo


class Receiver:
    """A local HTTP(S) server that records every request and answers ``status`` (+ ``headers``)."""

    def __init__(self, status: int = 204, headers: dict[str, str] | None = None) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.server_names: list[str | None] = []  # TLS SNI as received
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                receiver.requests.append((self.command, self.path, dict(self.headers)))
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *args: None  # type: ignore[method-assign]
        self.port = self.server.server_address[1]

    def use_tls(self, certificate: trustme.LeafCert) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certificate.configure_cert(context)
        context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)  # type: ignore[assignment,return-value]
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def make(status: int = 204, headers: dict[str, str] | None = None, tls: Any = None) -> Receiver:
        receiver = Receiver(status, headers)
        if tls is not None:
            receiver.use_tls(tls)
        receiver.start()
        started.append(receiver)
        return receiver

    yield make
    for receiver in started:
        receiver.server.shutdown()
        receiver.server.server_close()


class FakeDNS:
    """Answers for names under `.test`, one answer per lookup in turn; counts the lookups."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[tuple[str, int]]]] = {}
        self.lookups: list[str] = []

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if not str(host).endswith(".test"):
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        self.lookups.append(host)
        answers = self.answers.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, p or port)) for ip, p in answer
        ]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


def _delivery(user: Any, url: str) -> int:
    """A pending delivery to ``url``; the webhook row is made directly, so no lookup happens yet."""
    webhook = Webhook.objects.create(user=user, target=url, events=["election.created"], secret=SECRET)
    event_publish(name="election.created", data={"id": 1})
    (delivery_id,) = services.events_dispatch()
    assert Delivery.objects.get(pk=delivery_id).webhook_id == webhook.pk
    return delivery_id


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failed_attempt_and_never_followed(  # type: ignore[no-untyped-def]
    code, receivers, dave, api_as
) -> None:
    inside = receivers(status=200)
    hook = receivers(status=code, headers={"Location": f"http://127.0.0.1:{inside.port}/internal"})
    delivery_id = _delivery(dave, f"http://127.0.0.1:{hook.port}/hook")

    assert services.delivery_attempt(delivery_id=delivery_id, final=True) is False

    assert [method for method, _path, _headers in hook.requests] == ["POST"]
    assert inside.requests == []  # the Location was never contacted
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == "failed"
    assert delivery.response_status == code
    assert delivery.error == "redirect not followed"
    listing = api_as(dave).get(f"/api/v1/webhooks/{delivery.webhook_id}/deliveries/").json()
    (row,) = listing["results"]
    assert row["response_status"] == code and row["error"] == "redirect not followed"
    assert row["last_attempt"] is not None


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_the_connection_goes_to_the_address_that_was_checked(receivers, dns, dave) -> None:  # type: ignore[no-untyped-def]
    checked = receivers()
    rebound = receivers()
    # The first lookup answers one address; any later lookup (a rebinding name) another.
    dns.answers["hook.test"] = [[("127.0.0.1", checked.port)], [("127.0.0.1", rebound.port)]]
    delivery_id = _delivery(dave, "http://hook.test/hook")

    assert services.delivery_attempt(delivery_id=delivery_id) is True

    assert dns.lookups == ["hook.test"]  # one lookup per attempt, none by the HTTP library
    assert rebound.requests == []
    ((method, path, headers),) = checked.requests
    assert (method, path) == ("POST", "/hook")
    assert headers["Host"] == "hook.test"  # the name, not the address connected to
    assert headers["X-Portal-Signature"].startswith("sha256=")


@override_settings(WEBHOOK_ALLOW_PRIVATE=False)
def test_a_name_resolving_to_loopback_is_refused_at_send_time(receivers, dns, dave) -> None:  # type: ignore[no-untyped-def]
    hook = receivers()
    delivery_id = _delivery(dave, f"http://hook.test:{hook.port}/hook")
    dns.answers["hook.test"] = [[("127.0.0.1", hook.port)]]
    assert services.delivery_attempt(delivery_id=delivery_id) is False
    # Every address counts: one public address beside a loopback one does not let it through.
    dns.answers["hook.test"] = [[("93.184.215.14", hook.port), ("127.0.0.1", hook.port)]]
    assert services.delivery_attempt(delivery_id=delivery_id, final=True) is False

    assert hook.requests == []
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == "failed" and delivery.attempts == 2
    assert delivery.response_status is None and delivery.error == "address not allowed"


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_failures_are_short_reasons_without_addresses_or_ports(  # type: ignore[no-untyped-def]
    receivers, dns, dave, monkeypatch
) -> None:
    monkeypatch.setattr(services, "TIMEOUT_SECONDS", 0.5)
    # A closed port: connection refused.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed_port = probe.getsockname()[1]
    probe.close()
    # A port that accepts connections (the kernel's backlog) but never answers: timed out.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    silent_port = silent.getsockname()[1]
    failing = receivers(status=500)
    cases = {
        f"http://127.0.0.1:{closed_port}/hook": (None, "connection refused"),
        f"http://127.0.0.1:{silent_port}/hook": (None, "timed out"),
        "http://nowhere.test/hook": (None, "host did not resolve"),
        f"http://127.0.0.1:{failing.port}/hook": (500, "HTTP 500"),
    }
    try:
        for url, (expected_status, expected_error) in cases.items():
            Delivery.objects.all().delete()
            Webhook.objects.all().delete()
            delivery_id = _delivery(dave, url)
            assert services.delivery_attempt(delivery_id=delivery_id) is False
            delivery = Delivery.objects.get(pk=delivery_id)
            assert (delivery.response_status, delivery.error) == (expected_status, expected_error), url
    finally:
        silent.close()


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_https_verifies_the_host_name_on_the_pinned_address(  # type: ignore[no-untyped-def]
    receivers, dns, dave, monkeypatch, tmp_path: Path
) -> None:
    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # read by ssl.create_default_context()
    good = receivers(tls=authority.issue_cert("hook.test"))
    wrong = receivers(tls=authority.issue_cert("other.test"))
    dns.answers["hook.test"] = [[("127.0.0.1", good.port)]]
    dns.answers["wrong.test"] = [[("127.0.0.1", wrong.port)]]

    delivered = _delivery(dave, f"https://hook.test:{good.port}/hook")
    assert services.delivery_attempt(delivery_id=delivered) is True
    assert good.server_names == ["hook.test"]  # SNI names the host
    ((_method, _path, headers),) = good.requests
    assert headers["Host"] == f"hook.test:{good.port}"
    assert dns.lookups == ["hook.test"]

    # A certificate for another name is refused, though the address is the one resolved.
    Webhook.objects.all().delete()
    refused = _delivery(dave, f"https://wrong.test:{wrong.port}/hook")
    assert services.delivery_attempt(delivery_id=refused) is False
    assert wrong.requests == []
    assert Delivery.objects.get(pk=refused).error == "TLS error"
