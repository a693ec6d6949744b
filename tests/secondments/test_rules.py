"""The secondment cycle's rules as the contract states them (issue: one door per write), each
through the service and, where a client would meet it, through the API.

Every test here fails when its rule is removed from the service (see the note of the issue for
how that was checked)."""

from __future__ import annotations

import datetime
import threading
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.errors import Conflict, Invalid, LoginRequired, NotAllowed, NotVisible
from secondments import services
from secondments.models import Nomination, Person, PersonEmail, Secondment, Vacancy, add_years
from states.models import Body, State
from tests.secondments.conftest import candidate


def submit(
    vacancy: Vacancy, user: Any, code: str = "AT", email: str = "anna@example.org", **extra: Any
) -> Nomination:
    return services.nomination_submit(
        actor=user,
        vacancy=vacancy,
        given_name="Anna",
        family_name="Huber",
        email=email,
        nationality=State.objects.get(code=code),
        gender="female",
        **extra,
    )


def select(alice: Any, nomination: Nomination, start: datetime.date | None = None) -> Secondment:
    vacancy = Vacancy.objects.get(pk=nomination.vacancy_id)
    if vacancy.status == Vacancy.Status.OPEN:
        services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    services.nomination_decide(actor=alice, nomination=nomination, status="selected", start=start)
    return Secondment.objects.get(nomination=nomination)


# --- Decisions only once nominations are closed; they close by themselves ---------------------


def test_hr_decides_only_once_nominations_are_closed(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    nomination = submit(vacancy, bob)
    with pytest.raises(Conflict, match="still open"):
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
    services.vacancy_close(actor=alice, vacancy=vacancy)
    assert (
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted").status
        == "shortlisted"
    )


def test_nominations_close_by_themselves_at_the_deadline(
    api: Any, alice: Any, bob: Any, vacancy: Vacancy
) -> None:
    nomination = submit(vacancy, bob)
    after = vacancy.closes_at + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after):
        # Seen as closed at once, before the scheduled task writes it down ...
        assert Vacancy.objects.get(pk=vacancy.pk).current_status == "closed"
        decided = services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    # ... and the decision wrote it down.
    assert decided.status == "shortlisted"
    vacancy.refresh_from_db()
    assert vacancy.status == "closed" and vacancy.closed is not None


def test_an_open_vacancy_past_its_deadline_is_closed_in_the_api(api: Any, vacancy: Vacancy) -> None:
    Vacancy.objects.filter(pk=vacancy.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert api.get(f"/api/v1/vacancies/{vacancy.reference}/").json()["status"] == "closed"
    assert api.get("/api/v1/vacancies/", {"status": "open"}).json()["count"] == 0
    assert api.get("/api/v1/vacancies/", {"status": "closed"}).json()["count"] == 1


# --- A cancelled draft is never published -------------------------------------------------------


def test_cancelling_a_draft_keeps_it_private(
    api: Any, api_as: Any, alice: Any, bob: Any, make_vacancy: Any
) -> None:
    draft = make_vacancy(publish=False)
    cancelled = services.vacancy_cancel(actor=alice, vacancy=draft, reason="Budget")
    assert cancelled.status == "cancelled" and cancelled.published is None
    assert api.get(f"/api/v1/vacancies/{draft.reference}/").status_code == 404
    assert api_as(bob).get(f"/api/v1/vacancies/{draft.reference}/").status_code == 404
    assert api.get("/api/v1/vacancies/", {"status": "cancelled"}).json()["count"] == 0
    assert draft.reference not in Client().get("/vacancies/feed.atom").content.decode()
    assert Client().get(f"/vacancies/{draft.reference}/").status_code == 404
    assert api_as(alice).get(f"/api/v1/vacancies/{draft.reference}/").json()["status"] == "cancelled"


def test_cancelling_a_published_vacancy_keeps_it_visible(api: Any, alice: Any, vacancy: Vacancy) -> None:
    services.vacancy_cancel(actor=alice, vacancy=vacancy)
    assert api.get(f"/api/v1/vacancies/{vacancy.reference}/").json()["status"] == "cancelled"


# --- The operation is active on the deadline ------------------------------------------------------


def test_a_post_at_an_operation_closed_before_the_deadline_is_refused(
    api_as: Any, alice: Any, make_vacancy: Any, operation: Any
) -> None:
    operation.closed = datetime.date(2003, 1, 1)
    operation.save()
    with pytest.raises(Invalid) as error:
        make_vacancy(publish=False)
    assert "field_operation" in error.value.errors
    response = api_as(alice).post(
        "/api/v1/vacancies/",
        {
            "title": "Officer",
            "field_operation": operation.slug,
            "grade": "S2",
            "dimension": "human",
            "field_of_expertise": "rule-of-law",
            "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "field_operation" in response.json()


def test_an_extension_past_the_operations_closing_is_refused(
    alice: Any, vacancy: Vacancy, operation: Any
) -> None:
    operation.closed = vacancy.deadline + datetime.timedelta(days=5)
    operation.save()
    with pytest.raises(Invalid):
        services.vacancy_extend(
            actor=alice, vacancy=vacancy, deadline=vacancy.deadline + datetime.timedelta(days=10)
        )
    services.vacancy_extend(
        actor=alice, vacancy=vacancy, deadline=vacancy.deadline + datetime.timedelta(days=4)
    )


# --- Service limits at selection, on a person record that survives a new e-mail ----------------


def test_selection_refused_past_ten_years_of_service(alice: Any, bob: Any, make_vacancy: Any) -> None:
    first = select(
        alice, submit(make_vacancy(), bob, email="long.server@example.org"), datetime.date(2010, 1, 1)
    )
    Secondment.objects.filter(pk=first.pk).update(renewals=6)  # 7 years in the operation
    body = Body.objects.create(slug="odihr", name="ODIHR", kind="institution", seat="Warsaw")
    second = select(
        alice,
        submit(make_vacancy(field_operation=None, body=body), bob, email="LONG.SERVER@example.org"),
        datetime.date(2017, 1, 1),
    )
    Secondment.objects.filter(pk=second.pk).update(renewals=2)  # 10 years in all
    third = submit(make_vacancy(field_operation=None, body=body), bob, email="long.server@example.org")
    with pytest.raises(Conflict, match="10 years"):
        select(alice, third)
    third.refresh_from_db()
    assert third.status == "shortlisted" and not Secondment.objects.filter(nomination=third).exists()


def test_selection_refused_past_seven_years_in_one_operation(alice: Any, bob: Any, make_vacancy: Any) -> None:
    first = select(alice, submit(make_vacancy(), bob, email="p@example.org"), datetime.date(2015, 1, 1))
    Secondment.objects.filter(pk=first.pk).update(renewals=6)
    with pytest.raises(Conflict, match="7 years"):
        select(alice, submit(make_vacancy(), bob, email="p@example.org"))


def test_a_new_email_counts_once_hr_merges_the_records(alice: Any, bob: Any, make_vacancy: Any) -> None:
    first = select(alice, submit(make_vacancy(), bob, email="old@example.org"), datetime.date(2015, 1, 1))
    Secondment.objects.filter(pk=first.pk).update(renewals=5)  # 6 years in the operation
    second = select(alice, submit(make_vacancy(), bob, email="new@example.org"), datetime.date(2021, 6, 1))
    assert second.person_id != first.person_id  # a new address: a new record, 7 years each
    into = services.person_merge(actor=alice, person=second.person, into=first.person)
    assert set(PersonEmail.objects.filter(person=into).values_list("email", flat=True)) == {
        "old@example.org",
        "new@example.org",
    }
    assert not Person.objects.filter(pk=second.person_id).exists()
    # Seven years now count together: the next renewal is refused.
    second.refresh_from_db()
    with (
        mock.patch("secondments.services.secondments.today", return_value=add_years(second.end, -1)),
        pytest.raises(Conflict, match="7 years"),
    ):
        services.secondment_renew(actor=alice, secondment=second)


def test_only_hr_merges_person_records(alice: Any, bob: Any, make_vacancy: Any) -> None:
    person = select(alice, submit(make_vacancy(), bob, email="a@example.org")).person
    other = select(alice, submit(make_vacancy(), bob, email="b@example.org")).person
    with pytest.raises(NotAllowed):
        services.person_merge(actor=bob, person=other, into=person)
    with pytest.raises(Invalid):
        services.person_merge(actor=alice, person=person, into=person)


# --- Duplicates within the nominating State only, revealing nothing ---------------------------


def test_duplicates_are_refused_within_the_nominating_state_only(
    api_as: Any, bob: Any, carol: Any, vacancy: Vacancy
) -> None:
    url = f"/api/v1/vacancies/{vacancy.reference}/nominations/"
    dual = candidate("AT", 1, email="dual.national@example.org")
    assert api_as(bob).post(url, {"candidate": dual}, format="json").status_code == 201
    again = api_as(bob).post(
        url, {"candidate": {**dual, "email": "DUAL.national@example.org"}}, format="json"
    )
    assert again.status_code == 409 and "Austria" in again.json()["detail"]
    # Germany nominates the same person (a dual national): accepted, and nothing tells Germany that
    # Austria did too.
    german = api_as(carol).post(url, {"candidate": {**dual, "nationality": "DE"}}, format="json")
    assert german.status_code == 201
    assert api_as(carol).get("/api/v1/nominations/").json()["count"] == 1


def test_the_vacancy_filter_tells_a_draft_from_nothing_to_nobody(
    api_as: Any, alice: Any, bob: Any, make_vacancy: Any
) -> None:
    draft = make_vacancy(publish=False)
    client = api_as(bob)
    hidden = client.get("/api/v1/nominations/", {"vacancy": draft.reference})
    unknown = client.get("/api/v1/nominations/", {"vacancy": "VNXXXS99999"})
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json()["vacancy"] == [
        message.replace("VNXXXS99999", draft.reference) for message in unknown.json()["vacancy"]
    ]
    assert api_as(alice).get("/api/v1/nominations/", {"vacancy": draft.reference}).status_code == 200


# --- One lock order; a lost race is 409, never 500 ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_withdraw_and_decide_at_once_answer_200_or_409(
    api_as: Any, alice: Any, bob: Any, make_vacancy: Any
) -> None:
    """The interleaving that deadlocked (withdraw locked nomination, vacancy and State in one
    statement; a decision locked vacancy then nomination): many rounds, never a 500."""
    outcomes: list[int] = []
    lock = threading.Lock()
    hr, state = api_as(alice), api_as(bob)
    for round_ in range(6):
        vacancy = make_vacancy()
        nominations = [submit(vacancy, bob, email=f"r{round_}n{n}@example.org") for n in range(3)]
        services.vacancy_close(actor=alice, vacancy=vacancy)
        for nomination in nominations:
            services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
        barrier = threading.Barrier(4)

        def call(
            client: Any, method: str, url: str, data: dict[str, Any] | None = None, barrier: Any = barrier
        ) -> None:
            try:
                barrier.wait()
                response = getattr(client, method)(url, data or {}, format="json")
                code = response.status_code
            finally:
                connection.close()
            with lock:
                outcomes.append(code)

        first, second, third = (f"/api/v1/nominations/{n.pk}/" for n in nominations)
        threads = [
            threading.Thread(target=call, args=(hr, "patch", first, {"status": "selected"})),
            threading.Thread(target=call, args=(state, "post", first + "withdraw/")),
            threading.Thread(target=call, args=(state, "post", second + "withdraw/")),
            threading.Thread(target=call, args=(hr, "patch", third, {"status": "rejected"})),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert outcomes and set(outcomes) <= {200, 409}, outcomes


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_is_retried_once_then_409(db: None) -> None:
    """``atomic_retry``: a real deadlock between two transactions; the loser runs again."""
    from core.db import atomic_retry

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)")
        cursor.execute("TRUNCATE deadlock_probe")
        cursor.execute("INSERT INTO deadlock_probe VALUES (1), (2)")
    barrier = threading.Barrier(2)
    calls: dict[str, int] = {"a": 0, "b": 0}
    results: dict[str, str] = {}
    finished = {"a": threading.Event(), "b": threading.Event()}

    def make(name: str, other: str, first: int, second: int) -> Any:
        @atomic_retry
        def locked() -> str:
            calls[name] += 1
            if calls[name] == 2:
                # The loser's second run starts once the winner has committed. Without this wait the
                # retry can take its first row again before the winner, woken from its lock wait,
                # has taken it (PostgreSQL queues no one on a row whose locker aborted), and lose a
                # second time: the race this test is not about (test_a_second_lost_race_is_a_conflict is).
                finished[other].wait(timeout=30)
            with connection.cursor() as cursor:
                cursor.execute("SELECT id FROM deadlock_probe WHERE id = %s FOR UPDATE", [first])
                if calls[name] == 1:
                    barrier.wait(timeout=30)  # both hold their first row: a circle on the second
                cursor.execute("SELECT id FROM deadlock_probe WHERE id = %s FOR UPDATE", [second])
            return "done"

        def run() -> None:
            try:
                results[name] = locked()
            except Conflict:
                results[name] = "conflict"
            finally:
                finished[name].set()
                connection.close()

        return run

    threads = [threading.Thread(target=make("a", "b", 1, 2)), threading.Thread(target=make("b", "a", 2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE deadlock_probe")
    assert results == {"a": "done", "b": "done"}, results
    assert sorted(calls.values()) == [1, 2]  # the loser ran once more


def _failing(sqlstate: str, calls: list[int]) -> Any:
    """A write wearing ``atomic_retry`` whose every run fails with ``sqlstate``, counting its runs."""
    from core.db import atomic_retry

    @atomic_retry
    def write() -> None:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute(f"DO $$ BEGIN RAISE EXCEPTION 'failed' USING ERRCODE = '{sqlstate}'; END $$")

    return write


@pytest.mark.django_db(transaction=True)
def test_a_second_lost_race_is_a_conflict(db: None) -> None:
    """Run twice, lost twice: ``Conflict`` (409), not a server error, and no third run."""
    calls: list[int] = []
    with pytest.raises(Conflict):
        _failing("serialization_failure", calls)()
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_lost_race_inside_an_outer_transaction_is_a_conflict_at_once(db: None) -> None:
    from django.db import transaction

    calls: list[int] = []
    with pytest.raises(Conflict), transaction.atomic():
        _failing("deadlock_detected", calls)()
    assert len(calls) == 1  # the outer transaction is aborted: nothing can be run again in it


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried(db: None) -> None:
    from django.db import OperationalError

    calls: list[int] = []
    with pytest.raises(OperationalError):
        _failing("lock_not_available", calls)()
    assert len(calls) == 1


# --- Renewals: once per year, the person locked -------------------------------------------------


def test_a_retried_renewal_renews_once(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    secondment = select(alice, submit(vacancy, bob), timezone.localdate() - datetime.timedelta(days=100))
    renewed = services.secondment_renew(actor=alice, secondment=secondment)
    with pytest.raises(Conflict, match="Already renewed"):
        services.secondment_renew(actor=alice, secondment=secondment)
    assert Secondment.objects.get(pk=secondment.pk).end == renewed.end == add_years(secondment.end, 1)


@pytest.mark.django_db(transaction=True)
def test_two_renewals_of_one_person_cannot_both_pass_the_limit(
    alice: Any, bob: Any, make_vacancy: Any
) -> None:
    body = Body.objects.create(slug="odihr", name="ODIHR", kind="institution", seat="Warsaw")
    start = timezone.localdate() - datetime.timedelta(days=100)
    one = select(alice, submit(make_vacancy(), bob, email="p@example.org"), start)
    two = select(
        alice, submit(make_vacancy(field_operation=None, body=body), bob, email="p@example.org"), start
    )
    Secondment.objects.filter(pk=one.pk).update(renewals=3)  # 4 + 5 = 9 years: one more year fits
    Secondment.objects.filter(pk=two.pk).update(renewals=4)
    one.refresh_from_db()
    two.refresh_from_db()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def renew(secondment: Secondment) -> None:
        try:
            barrier.wait()
            with mock.patch(
                "secondments.services.secondments.today", return_value=add_years(secondment.end, -1)
            ):
                services.secondment_renew(actor=alice, secondment=secondment)
            outcomes.append("renewed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=renew, args=(s,)) for s in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "renewed"], outcomes


# --- Partners for Co-operation nominate -----------------------------------------------------------


def test_a_partner_nominates_its_nationals_to_posts_open_to_partners(
    api_as: Any, alice: Any, bob: Any, erin: Any, make_vacancy: Any
) -> None:
    open_to_partners = make_vacancy(open_to_partners=True, grade="S1")
    not_open = make_vacancy()
    client = api_as(erin)
    japanese = candidate("JP", 7)
    response = client.post(
        f"/api/v1/vacancies/{open_to_partners.reference}/nominations/", {"candidate": japanese}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "JP" and body["candidate"]["nationality"] == "JP"
    refused = client.post(
        f"/api/v1/vacancies/{not_open.reference}/nominations/", {"candidate": japanese}, format="json"
    )
    assert refused.status_code == 400 and "open to Partners" in refused.json()["detail"]
    austrian = client.post(
        f"/api/v1/vacancies/{open_to_partners.reference}/nominations/",
        {"candidate": candidate("AT", 8)},
        format="json",
    )
    assert austrian.status_code == 400 and "nationality" in austrian.json()
    # Its own nominations only; Austria's are not there for it, and its own are not for Austria.
    austria = submit(open_to_partners, bob)
    assert client.get("/api/v1/nominations/").json()["count"] == 1
    assert client.get(f"/api/v1/nominations/{austria.pk}/").status_code == 404
    assert api_as(bob).get(f"/api/v1/nominations/{body['id']}/").status_code == 404
    assert api_as(alice).get(f"/api/v1/nominations/{body['id']}/").json()["state"] == "JP"


def test_a_partner_nominates_only_to_s1_and_s2(erin: Any, make_vacancy: Any) -> None:
    s3 = make_vacancy(open_to_partners=True, grade="S3")
    with pytest.raises(Invalid, match="S1 and S2"):
        services.nomination_submit(
            actor=erin,
            vacancy=s3,
            given_name="Aiko",
            family_name="Sato",
            email="aiko@example.org",
            nationality=None,
            gender="female",
        )


def test_only_focal_points_nominate(
    alice: Any, olga: Any, dave: Any, austria: State, vacancy: Vacancy
) -> None:
    from django.contrib.auth.models import AnonymousUser

    for actor in (alice, olga, dave):
        with pytest.raises(NotAllowed):
            submit(vacancy, actor)
    with pytest.raises(LoginRequired):
        submit(vacancy, AnonymousUser())
    assert not Nomination.objects.exists()


def test_the_nominating_state_is_the_actors_own(bob: Any, germany: State, vacancy: Vacancy) -> None:
    """No caller names the State it nominates for: Austria's focal point nominating a German is
    refused on nationality, never recorded as Germany's nomination."""
    with pytest.raises(Invalid):
        submit(vacancy, bob, code="DE")
    assert not Nomination.objects.filter(state=germany).exists()


def test_another_states_nomination_is_not_there(alice: Any, bob: Any, carol: Any, vacancy: Vacancy) -> None:
    nomination = submit(vacancy, bob)
    with pytest.raises(NotVisible):
        services.nomination_withdraw(actor=carol, nomination=nomination)
    with pytest.raises(NotAllowed):
        services.nomination_withdraw(actor=alice, nomination=nomination)


# --- Per-State figures ------------------------------------------------------------------------------


def test_state_page_shows_service_to_all_and_nominations_to_hr_and_that_state(
    alice: Any, bob: Any, carol: Any, make_vacancy: Any
) -> None:
    select(
        alice,
        submit(make_vacancy(), bob, email="serving@example.org"),
        timezone.localdate() - datetime.timedelta(days=10),
    )
    submit(make_vacancy(), bob, email="pending@example.org")
    anonymous = Client().get("/states/AT/").content.decode()
    assert "Serving on secondment today" in anonymous
    assert "Nominations this year" not in anonymous
    for user, sees in ((alice, True), (bob, True), (carol, False)):
        client = Client()
        client.force_login(user)
        assert ("Nominations this year" in client.get("/states/AT/").content.decode()) is sees
