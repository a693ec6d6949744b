"""Services of the secondment cycle: every rule and refusal, and selection under concurrency."""

from __future__ import annotations

import datetime
import threading
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.utils import timezone

from core.errors import Conflict, Invalid, NotVisible
from core.models import AuditEntry, Event
from secondments import services
from secondments.models import Nomination, Secondment, SelectionSlot, Vacancy, add_years
from states.models import State
from tests.secondments.conftest import PDF


def submit(vacancy: Vacancy, user: Any, state_code: str = "AT", n: int = 1, **extra: Any) -> Nomination:
    """``user`` (a focal point) nominates candidate ``n`` of nationality ``state_code``."""
    state = State.objects.get(code=state_code)
    data = {
        "given_name": "Anna",
        "family_name": f"Huber{n}",
        "email": f"anna.huber{n}@example.org",
        "nationality": state,
        "gender": "female",
        **extra,
    }
    return services.nomination_submit(actor=user, vacancy=vacancy, **data)


def close(alice: Any, vacancy: Vacancy) -> Vacancy:
    """HR closes nominations early: decisions may start."""
    return services.vacancy_close(actor=alice, vacancy=vacancy)


# --- Vacancies ----------------------------------------------------------------------------------


def test_reference_is_assigned_and_unique(make_vacancy: Any) -> None:
    first = make_vacancy(publish=False)
    second = make_vacancy(publish=False, appointment="contracted", grade="P3")
    assert first.reference.startswith("VNBAHS") and len(first.reference) == len("VNBAHS00592")
    assert second.reference.startswith("VNBAHC")
    assert first.reference != second.reference
    assert first.status == Vacancy.Status.DRAFT and first.published is None


def test_reference_never_reused_after_delete(make_vacancy: Any) -> None:
    first = make_vacancy(publish=False)
    serial = int(first.reference[-5:])
    Vacancy.objects.filter(pk=first.pk).delete()
    again = make_vacancy(publish=False)
    assert int(again.reference[-5:]) > serial


def test_reference_codes_of_bodies_and_operations_without_code(make_vacancy: Any, operation: Any) -> None:
    from states.models import Body

    body = Body.objects.create(slug="secretariat", name="Secretariat", kind="secretariat", seat="Vienna")
    vacancy = make_vacancy(publish=False, field_operation=None, body=body, duty_station="Vienna")
    assert vacancy.reference.startswith("VNSECS")
    cpc = Body.objects.create(slug="conflict-prevention-centre", name="CPC", kind="secretariat")
    assert make_vacancy(publish=False, field_operation=None, body=cpc).reference.startswith("VNSECS")
    odihr = Body.objects.create(slug="odihr", name="ODIHR", kind="institution", seat="Warsaw")
    assert make_vacancy(publish=False, field_operation=None, body=odihr).reference.startswith("VNODIHRS")
    operation.code = ""
    operation.save()
    assert make_vacancy(publish=False).reference.startswith("VNBIHS")
    operation.host_state = None
    operation.save()
    assert make_vacancy(publish=False).reference.startswith("VNMBHS")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": datetime.date(2000, 1, 1)}, "deadline"),
        ({"grade": "P3"}, "grade"),
        ({"appointment": "contracted", "grade": "S2"}, "grade"),
        ({"field_operation": None}, "field_operation"),
        ({"languages": ["english"]}, "languages"),
        ({"posts": 0}, "posts"),
        ({"title": ""}, "title"),
    ],
)
def test_vacancy_create_refusals(make_vacancy: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as error:
        make_vacancy(publish=False, **overrides)
    assert field in error.value.errors
    assert not Vacancy.objects.exists()


def test_publish_records_event_and_audit(make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    assert vacancy.status == "open" and vacancy.published is not None
    assert Event.objects.filter(name="vacancy.published", data__reference=vacancy.reference).exists()
    assert AuditEntry.objects.filter(action="vacancy.published", target_id=str(vacancy.pk)).exists()


def test_publish_twice_conflicts(alice: Any, vacancy: Vacancy) -> None:
    with pytest.raises(Conflict):
        services.vacancy_publish(actor=alice, vacancy=vacancy)


def test_extend_is_recorded_and_refuses_earlier(alice: Any, vacancy: Vacancy) -> None:
    new = vacancy.deadline + datetime.timedelta(days=7)
    extended = services.vacancy_extend(actor=alice, vacancy=vacancy, deadline=new)
    assert extended.deadline == new
    assert extended.extensions.get().previous == vacancy.deadline
    assert Event.objects.filter(name="vacancy.extended").exists()
    with pytest.raises(Invalid):
        services.vacancy_extend(actor=alice, vacancy=extended, deadline=vacancy.deadline)


def test_close_and_cancel_workflow(alice: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    closed = services.vacancy_close(actor=alice, vacancy=vacancy)
    assert closed.status == "closed" and closed.closed is not None
    assert Event.objects.filter(name="vacancy.closed").exists()
    with pytest.raises(Conflict):
        services.vacancy_close(actor=alice, vacancy=closed)
    cancelled = services.vacancy_cancel(actor=alice, vacancy=closed)
    assert cancelled.status == "cancelled"
    with pytest.raises(Conflict):
        services.vacancy_extend(
            actor=alice, vacancy=cancelled, deadline=closed.deadline + datetime.timedelta(days=5)
        )


def test_deadline_closes_at_2359_vienna(vacancy: Vacancy) -> None:
    closes = vacancy.closes_at
    assert closes.tzinfo is not None and str(closes.tzinfo) == "Europe/Vienna"
    assert (closes.hour, closes.minute, closes.second) == (23, 59, 59)


def test_status_now_turns_closed_at_the_last_instant_of_the_deadline_in_vienna() -> None:
    deadline = datetime.date(2026, 3, 28)  # the night before summer time: UTC+1
    last = Vacancy.closing_moment(deadline)
    after = last + datetime.timedelta(microseconds=1)
    assert Vacancy.status_now("open", deadline, last) == "open"
    assert Vacancy.status_now("open", deadline, after) == "closed"
    # The same instants seen in UTC (22:59:59.999999 and 23:00): Vienna's date decides.
    assert Vacancy.status_now("open", deadline, last.astimezone(datetime.UTC)) == "open"
    assert Vacancy.status_now("open", deadline, after.astimezone(datetime.UTC)) == "closed"
    assert Vacancy.status_now("filled", deadline, after) == "filled"  # only an open one closes
    assert Vacancy.status_now("draft", deadline, after) == "draft"


def test_close_expired(alice: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    Vacancy.objects.filter(pk=vacancy.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert services.vacancies_close_expired() == [vacancy.reference]
    assert services.vacancies_close_expired() == []
    vacancy.refresh_from_db()
    assert vacancy.status == "closed"


# --- Nominations --------------------------------------------------------------------------------


def test_nomination_submit_records_history(bob: Any, vacancy: Vacancy) -> None:
    nomination = submit(vacancy, bob)
    assert nomination.status == "submitted"
    assert [change.status for change in nomination.history.all()] == ["submitted"]
    entry = AuditEntry.objects.get(action="nomination.submitted")
    assert "anna" not in str(entry.data).lower()  # facts, not the person


def test_nomination_refused_when_not_open(alice: Any, bob: Any, make_vacancy: Any) -> None:
    draft = make_vacancy(publish=False)
    with pytest.raises(NotVisible):  # a draft does not exist for a focal point
        submit(draft, bob)
    closed = close(alice, make_vacancy())
    with pytest.raises(Conflict, match="not open"):
        submit(closed, bob)
    assert not Nomination.objects.exists()


def test_nomination_refused_after_deadline(bob: Any, vacancy: Vacancy) -> None:
    after = vacancy.closes_at + datetime.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        pytest.raises(Conflict, match="deadline"),
    ):
        submit(vacancy, bob)
    just_before = vacancy.closes_at - datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=just_before):
        submit(vacancy, bob)


def test_nomination_refused_twice_case_insensitive(bob: Any, vacancy: Vacancy) -> None:
    submit(vacancy, bob)
    with pytest.raises(Conflict, match="already nominated"):
        submit(vacancy, bob, email="ANNA.HUBER1@example.org")
    assert Nomination.objects.count() == 1


def test_duplicate_is_also_a_database_constraint(bob: Any, vacancy: Vacancy) -> None:
    first = submit(vacancy, bob)
    with pytest.raises(IntegrityError):
        Nomination.objects.create(
            vacancy=vacancy,
            state=first.state,
            nationality=first.state,
            given_name="X",
            family_name="Y",
            email=first.email.upper(),
            gender="male",
        )


def test_nomination_refused_other_nationality(bob: Any, germany: State, vacancy: Vacancy) -> None:
    with pytest.raises(Invalid) as error:
        services.nomination_submit(
            actor=bob,
            vacancy=vacancy,
            given_name="A",
            family_name="B",
            email="a@example.org",
            nationality=germany,
            gender="male",
        )
    assert "nationality" in error.value.errors


def test_nomination_refused_host_national_for_international_post(bosnia: State, vacancy: Vacancy) -> None:
    from accounts.services import role_grant

    user, _ = role_grant(username="bosnian", role="focal-point", state_code="BA")
    with pytest.raises(Invalid, match="host State"):
        submit(vacancy, user, state_code="BA")


def test_host_national_may_take_local_post(bosnia: State, make_vacancy: Any) -> None:
    from accounts.services import role_grant

    user, _ = role_grant(username="bosnian", role="focal-point", state_code="BA")
    local = make_vacancy(appointment="contracted", grade="NP2")
    assert submit(local, user, state_code="BA").status == "submitted"


def test_cv_must_be_pdf_within_5_mb(bob: Any, vacancy: Vacancy) -> None:
    with pytest.raises(Invalid, match="PDF"):
        submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", b"GIF89a..."))
    with pytest.raises(Invalid, match="PDF"):  # the magic bytes alone are not a PDF
        submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 but nothing else"))
    big = SimpleUploadedFile("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(Invalid, match="5 MB"):
        submit(vacancy, bob, cv=big)
    nomination = submit(vacancy, bob, cv=SimpleUploadedFile("Anna Huber CV.pdf", PDF))
    assert nomination.cv.name.endswith(".pdf") and "Anna" not in nomination.cv.name


def test_withdraw_only_open_ones(bob: Any, alice: Any, vacancy: Vacancy) -> None:
    nomination = submit(vacancy, bob)
    withdrawn = services.nomination_withdraw(
        actor=bob, nomination=nomination, reason="Candidate took another job"
    )
    assert withdrawn.status == "withdrawn"
    with pytest.raises(Conflict):
        services.nomination_withdraw(actor=bob, nomination=withdrawn)
    event = Event.objects.get(name="nomination.status_changed")
    assert event.visible_to_state_id == "AT"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["shortlisted"], True),
        (["rejected"], True),
        (["selected"], False),
        (["shortlisted", "selected"], True),
        (["shortlisted", "rejected"], True),
        (["rejected", "shortlisted"], False),
        (["shortlisted", "shortlisted"], False),
    ],
)
def test_transitions(alice: Any, bob: Any, vacancy: Vacancy, path: list[str], allowed: bool) -> None:
    nomination = submit(vacancy, bob)
    close(alice, vacancy)
    *before, last = path
    for status in before:
        nomination = services.nomination_decide(actor=alice, nomination=nomination, status=status, reason="r")
    if allowed:
        nomination = services.nomination_decide(actor=alice, nomination=nomination, status=last, reason="why")
        assert nomination.status == last
        change = nomination.history.order_by("-id").first()
        assert (change.status, change.by, change.reason) == (last, alice, "why")
    else:
        with pytest.raises(Conflict):
            services.nomination_decide(actor=alice, nomination=nomination, status=last)
        nomination.refresh_from_db()
        assert nomination.status == (before[-1] if before else "submitted")


def test_selection_creates_secondment_and_fills(alice: Any, bob: Any, carol: Any, vacancy: Vacancy) -> None:
    chosen = submit(vacancy, bob)
    other = submit(vacancy, carol, state_code="DE", n=2)
    close(alice, vacancy)
    services.nomination_decide(actor=alice, nomination=chosen, status="shortlisted")
    start = datetime.date(2027, 2, 1)
    services.nomination_decide(actor=alice, nomination=chosen, status="selected", reason="Best", start=start)
    secondment = Secondment.objects.get(nomination=chosen)
    assert (secondment.start, secondment.end, secondment.renewals) == (start, datetime.date(2028, 2, 1), 0)
    vacancy.refresh_from_db()
    other.refresh_from_db()
    assert vacancy.status == "filled"
    assert other.status == "rejected"
    assert other.history.order_by("-id").first().reason == "All posts have been filled."


def test_never_more_selected_than_posts(alice: Any, bob: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy(posts=2)
    nominations = [submit(vacancy, bob, n=n) for n in range(3)]
    close(alice, vacancy)
    for nomination in nominations:
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    services.nomination_decide(actor=alice, nomination=nominations[0], status="selected")
    services.nomination_decide(actor=alice, nomination=nominations[1], status="selected")
    # The vacancy is filled, and the third nomination was rejected with it.
    nominations[2].refresh_from_db()
    assert nominations[2].status == "rejected"
    assert SelectionSlot.objects.filter(vacancy=vacancy).count() == 2


def test_database_refuses_a_slot_beyond_posts(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    nomination = submit(vacancy, bob)
    with pytest.raises(IntegrityError):
        SelectionSlot.objects.create(vacancy=vacancy, slot=2, posts=1, nomination=nomination)


def test_database_refuses_a_slot_with_wrong_posts(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    nomination = submit(vacancy, bob)
    with pytest.raises(IntegrityError):
        SelectionSlot.objects.create(vacancy=vacancy, slot=2, posts=5, nomination=nomination)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_selections_select_exactly_two(make_vacancy: Any, alice: Any, bob: Any) -> None:
    vacancy = make_vacancy(posts=2)
    nominations = [submit(vacancy, bob, n=n) for n in range(20)]
    close(alice, vacancy)
    for nomination in nominations:
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def select(nomination: Nomination) -> None:
        try:
            barrier.wait()
            services.nomination_decide(actor=alice, nomination=nomination, status="selected", reason="race")
            result = "selected"
        except Conflict:
            result = "conflict"
        except Exception as error:  # pragma: no cover - reported below
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    with mock.patch("secondments.tasks.vacancy_filled_notice.delay"):
        threads = [threading.Thread(target=select, args=(n,)) for n in nominations]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes).count("selected") == 2, outcomes
    assert sorted(outcomes).count("conflict") == 18, outcomes
    assert Nomination.objects.filter(vacancy=vacancy, status="selected").count() == 2
    assert Secondment.objects.filter(vacancy=vacancy).count() == 2
    assert Vacancy.objects.get(pk=vacancy.pk).status == "filled"


# --- Secondments --------------------------------------------------------------------------------


def _selected(
    alice: Any, bob: Any, vacancy: Vacancy, n: int = 1, start: datetime.date | None = None
) -> Secondment:
    nomination = submit(vacancy, bob, n=n, email="same.person@example.org")
    if vacancy.status == Vacancy.Status.OPEN:
        close(alice, vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    services.nomination_decide(actor=alice, nomination=nomination, status="selected", start=start)
    return Secondment.objects.get(nomination=nomination)


def renew_in_its_last_year(alice: Any, secondment: Secondment) -> Secondment:
    """Renew on the first day of the secondment's current year (renewals happen during it)."""
    with mock.patch("secondments.services.secondments.today", return_value=add_years(secondment.end, -1)):
        return services.secondment_renew(actor=alice, secondment=secondment)


def test_renewal_by_one_year_up_to_seven_in_one_operation(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    secondment = _selected(alice, bob, vacancy, start=datetime.date(2024, 2, 29))
    assert secondment.end == datetime.date(2025, 2, 28)
    for year in range(6):
        secondment = renew_in_its_last_year(alice, secondment)
        assert secondment.renewals == year + 1
    assert secondment.end == add_years(datetime.date(2025, 2, 28), 6)
    with pytest.raises(Conflict, match="7 years"):
        renew_in_its_last_year(alice, secondment)
    secondment.refresh_from_db()
    assert secondment.renewals == 6


def test_renewal_refused_past_ten_years_of_service(
    alice: Any, bob: Any, make_vacancy: Any, vacancy: Vacancy
) -> None:
    from states.models import Body

    first = _selected(alice, bob, vacancy, start=datetime.date(2010, 1, 1))
    Secondment.objects.filter(pk=first.pk).update(renewals=6)  # 7 years at the mission
    body = Body.objects.create(slug="odihr", name="ODIHR", kind="institution", seat="Warsaw")
    other = make_vacancy(field_operation=None, body=body, duty_station="Warsaw")
    second = _selected(alice, bob, other, n=2, start=datetime.date(2017, 1, 1))
    second = renew_in_its_last_year(alice, second)
    second = renew_in_its_last_year(alice, second)  # 7 + 3 = 10 years
    with pytest.raises(Conflict, match="10 years"):
        renew_in_its_last_year(alice, second)


# --- Personal data ------------------------------------------------------------------------------


def test_anonymise_after_twelve_months(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    chosen = submit(vacancy, bob, n=1)
    other = submit(vacancy, bob, n=2, cv=SimpleUploadedFile("cv.pdf", PDF))
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=other, status="rejected", reason="Too junior: Anna")
    assert services.nominations_anonymise() == 0
    later = timezone.localdate() + datetime.timedelta(days=366)
    assert services.nominations_anonymise(on=later) == 2  # both not selected
    other.refresh_from_db()
    chosen.refresh_from_db()
    assert (other.given_name, other.family_name, other.email, other.motivation, other.cv.name) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert other.anonymised is not None
    assert other.state_id == "AT" and other.gender == "female" and other.status == "rejected"
    assert [c.status for c in other.history.all()] == ["submitted", "rejected"]
    assert all(c.reason == "" for c in other.history.all())
    trail = AuditEntry.objects.filter(target_type="secondments.nomination", target_id=str(other.pk))
    assert set(trail.values_list("action", flat=True)) >= {
        "nomination.submitted",
        "nomination.status_changed",
    }
    assert not trail.exclude(reason="").exists()
    assert services.nominations_anonymise(on=later) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_nominations_keep_one(make_vacancy: Any, bob: Any) -> None:
    vacancy = make_vacancy()
    barrier = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def nominate() -> None:
        try:
            barrier.wait()
            submit(vacancy, bob)
            result = "created"
        except Conflict:
            result = "conflict"
        except Exception as error:  # pragma: no cover - reported below
            result = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=nominate) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["created"], outcomes
    assert Nomination.objects.filter(vacancy=vacancy).count() == 1
