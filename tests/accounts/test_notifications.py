"""The mail helper (``core.mail.mail_send``), the language of a user's e-mails (set on
``/accounts/me/``) and the user's notifications page (``/accounts/me/notifications/``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client

from accounts.models import Preference
from accounts.services import preference_update
from core.errors import Invalid, LoginRequired, NotVisible
from core.mail import absolute_url, mail_send
from core.models import AuditEntry, Notification

SITE = "https://portal.example.org"
# A template whose subject is translated already: the notice that a vacancy is filled.
TEMPLATE = "secondments/email/vacancy_filled"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


class FakeVacancy:
    reference = "VNBAHS00592"
    title = "Rule of Law Officer"
    field_operation = None
    body = None
    duty_station = "Sarajevo"
    grade = "S2"
    posts = 1
    deadline = None


def send(users: list[Any], key: str = "k1", **extra: Any) -> int:
    return mail_send(
        to_users=users,
        template=TEMPLATE,
        context={"vacancy": FakeVacancy()},
        key=key,
        path="/vacancies/VNBAHS00592/",
        **extra,
    )


# --- the helper -------------------------------------------------------------------------------


def test_absolute_links_are_built_from_site_url() -> None:
    assert absolute_url("/vacancies/VN1/") == f"{SITE}/vacancies/VN1/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


def test_each_recipient_once_in_their_language_text_and_html(bob: Any, carol: Any) -> None:
    preference_update(actor=carol, user=carol, language="fr")
    assert send([bob, carol, bob]) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["bob@example.org"].subject == "Vacancy VNBAHS00592 has been filled"
    assert by_recipient["carol@example.org"].subject == "L'avis de vacance VNBAHS00592 a été pourvu"
    for message in mail.outbox:
        assert f"{SITE}/vacancies/VNBAHS00592/" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'<a href="{SITE}/vacancies/VNBAHS00592/"' in html
    assert 'lang="fr"' in by_recipient["carol@example.org"].alternatives[0][0]
    # The same key again (a retried task): nothing more.
    assert send([bob, carol]) == 0
    assert len(mail.outbox) == 2
    # Another key: sent again.
    assert send([bob], key="k2") == 1


def test_a_user_without_an_address_is_notified_in_the_portal_only(bob: Any) -> None:
    bob.email = ""
    bob.save()
    assert send([bob]) == 1
    assert mail.outbox == []
    notification = Notification.objects.get(user=bob)
    assert notification.url == f"{SITE}/vacancies/VNBAHS00592/"
    assert notification.subject == "Vacancy VNBAHS00592 has been filled"


def test_inactive_users_get_nothing(bob: Any) -> None:
    bob.is_active = False
    bob.save()
    assert send([bob]) == 0
    assert mail.outbox == [] and not Notification.objects.exists()


def test_bare_addresses_once_in_the_default_language(db: None) -> None:
    assert send([], to_addresses=["Contact@Mofa.example.jp", "contact@mofa.example.jp"]) == 1
    assert send([], to_addresses=["contact@mofa.example.jp"]) == 0
    assert [message.to for message in mail.outbox] == [["contact@mofa.example.jp"]]
    assert Notification.objects.get().language == "en"


# --- the language preference (service) ----------------------------------------------------------


def test_preference_update_sets_the_language_and_audits(bob: Any) -> None:
    preference_update(actor=bob, user=bob, language="de")
    assert Preference.objects.get(user=bob).language == "de"
    entry = AuditEntry.objects.get(action="preference.updated")
    assert entry.actor == bob and entry.data == {"language": "de"}
    preference_update(actor=bob, user=bob, language="")  # back to the portal's default
    assert Preference.objects.get(user=bob).language == ""


def test_preference_refusals(bob: Any, carol: Any) -> None:
    with pytest.raises(Invalid):
        preference_update(actor=bob, user=bob, language="xx")
    with pytest.raises(NotVisible):  # another user's preferences are not there for bob
        preference_update(actor=bob, user=carol, language="fr")
    with pytest.raises(LoginRequired):
        preference_update(actor=AnonymousUser(), user=carol, language="fr")
    assert not Preference.objects.filter(user=carol).exists()


# --- the pages ----------------------------------------------------------------------------------


def test_language_form_on_my_account(client: Client, bob: Any) -> None:
    client.force_login(bob)
    page = client.get("/accounts/me/").content.decode()
    assert 'action="/accounts/me/preferences/"' in page and 'name="language"' in page
    response = client.post("/accounts/me/preferences/", {"language": "it"})
    assert response.status_code == 302
    assert Preference.objects.get(user=bob).language == "it"
    assert 'value="it" selected' in client.get("/accounts/me/").content.decode()
    bad = client.post("/accounts/me/preferences/", {"language": "xx"})
    assert bad.status_code == 400 and 'id="id_language_error"' in bad.content.decode()
    assert Preference.objects.get(user=bob).language == "it"


def test_preferences_need_a_login(client: Client, db: None) -> None:
    response = client.post("/accounts/me/preferences/", {"language": "fr"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "/accounts/login/" in client.get("/accounts/me/notifications/")["Location"]


def test_my_notifications_list_only_mine(
    client: Client, bob: Any, carol: Any, django_assert_num_queries: Any
) -> None:
    send([bob], key="for-bob")
    send([carol], key="for-carol")
    for n in range(3):
        send([bob], key=f"more-{n}")
    client.force_login(bob)
    # Session and user (2), the count and the page of notifications (2), the roles for the menu (2).
    with django_assert_num_queries(6):
        page = client.get("/accounts/me/notifications/").content.decode()
    assert page.count(f'href="{SITE}/vacancies/VNBAHS00592/"') == 4
    client.force_login(carol)
    with django_assert_num_queries(6):  # the same for one row as for four
        page = client.get("/accounts/me/notifications/").content.decode()
    assert page.count(f'href="{SITE}/vacancies/VNBAHS00592/"') == 1
    assert "VNBAHS00592" in client.get("/accounts/me/").content.decode()  # the latest, on my account


def test_staff_read_notifications_in_the_admin(client: Client, staff: Any, bob: Any) -> None:
    send([bob])
    client.force_login(staff)
    page = client.get("/admin/core/notification/")
    assert page.status_code == 200 and "Vacancy VNBAHS00592 has been filled" in page.content.decode()
    assert client.get("/admin/core/notification/add/").status_code == 403
