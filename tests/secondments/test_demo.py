"""generate_demo_data: synthetic vacancies, nominations and secondments, marked as demo, keeping the
portal's rules, searchable, reproducible, and replacing the previous demo rows."""

from __future__ import annotations

import datetime
import random
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from core.mail import absolute_url
from core.models import Notification
from secondments import demo, services
from secondments.models import (
    SEARCH_CONFIGS,
    DeadlineExtension,
    Nomination,
    NominationChange,
    Secondment,
    SelectionSlot,
    Vacancy,
)
from states.models import State

pytestmark = pytest.mark.django_db

SCALE = "0.2"  # about 200 vacancies: every status, grade family and language shows up


@pytest.fixture
def reference(db: None) -> None:
    """The reference data generate_demo_data builds on (States, operations, bodies, fields)."""
    call_command("load_reference_data", stdout=StringIO())


def generate(scale: str = SCALE) -> str:
    out = StringIO()
    call_command("generate_demo_data", "--scale", scale, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[list[tuple], list[tuple]]:
    vacancies = list(
        Vacancy.objects.filter(is_demo=True)
        .order_by("pk")
        .values_list(
            "title",
            "grade",
            "status",
            "deadline",
            "posts",
            "duty_station",
            "notice_language",
            "published",
            "closed",
            "created",
        )
    )
    nominations = list(
        Nomination.objects.filter(vacancy__is_demo=True)
        .order_by("pk")
        .values_list("state_id", "email", "status", "submitted", "anonymised", "secondment__start")
    )
    return vacancies, nominations


def test_demo_vacancies_are_marked_and_keep_the_rules(reference: None) -> None:
    out = generate()
    assert "vacancies 200/200" in out  # a progress line per batch
    assert "200 demo vacancies" in out
    vacancies = Vacancy.objects.all()
    assert vacancies.count() == 200
    assert not vacancies.filter(is_demo=False).exists()
    assert all(title.startswith("[DEMO] ") for title in vacancies.values_list("title", flat=True))
    assert set(vacancies.values_list("status", flat=True)) >= {"draft", "open", "closed", "filled"}
    assert set(vacancies.values_list("appointment", flat=True)) == {"seconded", "contracted"}
    assert set(vacancies.values_list("notice_language", flat=True)) == set(SEARCH_CONFIGS)
    assert vacancies.filter(field_operation__isnull=False).exists()
    assert vacancies.filter(body__isnull=False).exists()
    assert not vacancies.filter(search_vector__isnull=True).exists()
    # Seconded posts have seconded levels, contracted posts the others.
    assert not vacancies.filter(appointment="seconded").exclude(grade__in=Vacancy.SECONDED_GRADES).exists()
    assert not vacancies.filter(appointment="contracted", grade__in=Vacancy.SECONDED_GRADES).exists()
    # References have the portal's form and are unique.
    for reference_ in vacancies.values_list("reference", flat=True):
        assert re.fullmatch(r"VN[A-Z]{2,6}[SC]\d{5,}", reference_), reference_

    nominations = Nomination.objects.all()
    assert nominations.exists()
    assert not nominations.filter(vacancy__status="draft").exists()
    # A State nominates its own nationals only.
    assert not nominations.exclude(nationality=F("state")).exists()
    # No national of the host State to an international post.
    international = nominations.exclude(
        Q(vacancy__grade__startswith="G") | Q(vacancy__grade__startswith="NP")
    )
    assert not international.filter(nationality=F("vacancy__field_operation__host_state")).exists()
    # Never more selected than posts; filled vacancies are exactly filled; every selection has its
    # slot and its secondment.
    selected = Vacancy.objects.annotate(n=Count("nominations", filter=Q(nominations__status="selected")))
    assert not selected.filter(n__gt=F("posts")).exists()
    assert not selected.filter(status="filled").exclude(n=F("posts")).exists()
    assert not selected.filter(status__in=["draft", "open", "cancelled"], n__gt=0).exists()
    chosen = nominations.filter(status="selected")
    assert chosen.exists()
    assert SelectionSlot.objects.count() == chosen.count() == Secondment.objects.count()
    assert not SelectionSlot.objects.filter(Q(slot__gt=F("posts")) | ~Q(posts=F("vacancy__posts"))).exists()
    assert not Secondment.objects.exclude(state=F("nomination__state")).exists()
    assert not Secondment.objects.exclude(person__emails__email=F("nomination__email")).exists()
    # Synthetic candidates; those not selected of vacancies closed long ago are anonymised.
    named = nominations.filter(anonymised__isnull=True)
    assert all(
        re.fullmatch(r"demo\.candidate\.\d+@example\.org", email)
        for email in named.values_list("email", flat=True)
    )
    assert not nominations.filter(anonymised__isnull=False).exclude(email="").exists()
    assert not nominations.filter(anonymised__isnull=False, status="selected").exists()
    # Each nomination has its history, ending with its status.
    for nomination in nominations.prefetch_related("history")[:50]:
        steps = [change.status for change in nomination.history.all()]
        assert steps[0] == "submitted" and steps[-1] == nomination.status


def test_reproducible_and_replaced_not_accumulated(reference: None) -> None:
    generate()
    first = snapshot()
    references = set(Vacancy.objects.values_list("reference", flat=True))
    generate()
    assert Vacancy.objects.count() == 200
    assert snapshot() == first  # same seed, same data...
    # ...but new references from the sequence: a reference is never reused.
    assert not references & set(Vacancy.objects.values_list("reference", flat=True))
    assert not NominationChange.objects.filter(nomination__vacancy__is_demo=False).exists()


def test_another_seed_other_data(reference: None) -> None:
    call_command("generate_demo_data", "--scale", "0.05", "--seed", "1", stdout=StringIO())
    one = snapshot()
    call_command("generate_demo_data", "--scale", "0.05", "--seed", "2", stdout=StringIO())
    assert snapshot() != one


def test_real_vacancies_survive_and_references_never_collide(
    reference: None, make_vacancy: Any, bob: Any, austria: State
) -> None:
    real = make_vacancy(publish=True)
    generate("0.05")
    later = make_vacancy(publish=True)
    serial = int(re.search(r"\d+$", later.reference).group())  # type: ignore[union-attr]
    demo_serials = [
        int(re.search(r"\d+$", ref).group())  # type: ignore[union-attr]
        for ref in Vacancy.objects.filter(is_demo=True).values_list("reference", flat=True)
    ]
    assert serial > max(demo_serials) > min(demo_serials) > int(real.reference[-5:])
    # A real nomination to a demo vacancy goes with it when the demo data is made again.
    open_demo = (
        Vacancy.objects.filter(is_demo=True, status="open", grade__in=["S1", "S2", "S3"])
        .exclude(field_operation__host_state=austria)
        .first()
    )
    assert open_demo is not None
    real_nomination = services.nomination_submit(
        actor=bob,
        vacancy=open_demo,
        given_name="Real",
        family_name="Person",
        email="real.person@example.org",
        nationality=austria,
        gender="female",
    )

    # So do its deadline extensions, and the notifications that link to it or to its nominations
    # (a reminder of its deadline, the real nomination's notice); others stay.
    def notify(key: str, path: str) -> None:
        url = absolute_url(path)
        Notification.objects.create(key=key, template="t", user=bob, language="en", subject=key, url=url)

    notify("reminder", f"/vacancies/{open_demo.reference}/")
    notify("received", f"/nominations/{real_nomination.pk}/")
    notify("real", f"/vacancies/{real.reference}/")
    notify("list", "/nominations/")
    DeadlineExtension.objects.create(
        vacancy=open_demo, previous=open_demo.deadline, deadline=open_demo.deadline + datetime.timedelta(1)
    )
    generate("0.05")
    assert Vacancy.objects.filter(pk__in=[real.pk, later.pk], is_demo=False).count() == 2
    assert not Nomination.objects.filter(email="real.person@example.org").exists()
    assert not Vacancy.objects.filter(pk=open_demo.pk).exists()
    assert set(Notification.objects.values_list("key", flat=True)) == {"real", "list"}
    assert not DeadlineExtension.objects.exists()


def test_search_finds_demo_vacancies(reference: None, api: Any) -> None:
    generate()
    checked = 0
    for language, word in [("en", "judiciary"), ("de", "Grenzpolizei"), ("ru", "границами")]:
        wanted = Vacancy.objects.filter(is_demo=True, notice_language=language).exclude(status="draft")
        wanted = wanted.filter(Q(description__icontains=word) | Q(tasks__icontains=word))
        if not wanted.exists():
            continue
        response = api.get("/api/v1/vacancies/", {"q": word, "page_size": 100})
        assert response.status_code == 200
        found = {row["reference"] for row in response.json()["results"]}
        assert found, (language, word)
        assert found <= set(wanted.values_list("reference", flat=True)) | set(
            Vacancy.objects.filter(is_demo=True).values_list("reference", flat=True)
        )
        assert found & set(wanted.values_list("reference", flat=True))
        checked += 1
    assert checked >= 2  # English and at least one other language
    # "demo" is in every demo title.
    response = api.get("/api/v1/vacancies/", {"q": "demo"})
    assert response.json()["count"] == Vacancy.objects.filter(is_demo=True).exclude(status="draft").count()


def test_pages_show_demo(reference: None, client: Any, alice: Any) -> None:
    generate("0.05")
    vacancy = Vacancy.objects.filter(is_demo=True).exclude(status="draft").first()
    assert vacancy is not None
    page = client.get("/vacancies/")
    assert page.status_code == 200
    assert "[DEMO]" in page.content.decode()
    detail = client.get(f"/vacancies/{vacancy.reference}/").content.decode()
    assert "[DEMO] Synthetic data" in detail
    client.force_login(alice)
    nomination = Nomination.objects.filter(vacancy__is_demo=True).first()
    assert nomination is not None
    page = client.get(f"/nominations/{nomination.pk}/")
    assert page.status_code == 200
    assert "[DEMO] Synthetic data" in page.content.decode()


def test_generate_without_reference_data_makes_nothing(db: None) -> None:
    lines = demo.generate(scale=1, rng=random.Random(1))
    assert "load_reference_data" in lines[0]
    assert not Vacancy.objects.exists()


def test_nominations_per_vacancy_sets_the_average(reference: None) -> None:
    call_command("generate_demo_data", "--scale", SCALE, "--nominations-per-vacancy", "10", stdout=StringIO())
    published = Vacancy.objects.filter(is_demo=True).exclude(status="draft").count()
    many = Nomination.objects.filter(vacancy__is_demo=True).count()
    assert 8 * published <= many <= 12 * published
    generate()  # the default: about 3 each
    published = Vacancy.objects.filter(is_demo=True).exclude(status="draft").count()
    assert 2 * published <= Nomination.objects.filter(vacancy__is_demo=True).count() <= 4 * published
    with pytest.raises(CommandError):
        call_command("generate_demo_data", "--scale", "0.01", "--nominations-per-vacancy", "-1")


def test_copy_rows_writes_any_text_exactly(reference: None) -> None:
    """The COPY path escapes what COPY's text format treats specially; missing fields get their
    default; the primary keys come from the table's own sequence."""
    from missions.demo import copy_rows, model_row, next_ids

    generate("0.01")
    source = Vacancy.objects.filter(is_demo=True).first()
    assert source is not None
    row = model_row(source)
    tricky = 'tab\there\nnew line\r\\N back\\slash "quoted" {braces}, commas; ünïcödé'
    ids = next_ids(Vacancy, 2)
    assert len(set(ids)) == 2 and min(ids) > source.pk
    row.update(
        id=ids[0],
        reference="VNBENCH00001",
        description=tricky,
        title="\\",
        languages=['a"', "\\b", "c,", "{d"],
        published=None,
        status="draft",
        search_vector=None,
    )
    del row["remuneration"]  # left out: its default
    assert copy_rows(Vacancy, [row]) == 1
    copied = Vacancy.objects.get(pk=ids[0])
    assert copied.description == tricky
    assert copied.title == "\\"
    assert copied.languages == ['a"', "\\b", "c,", "{d"]
    assert copied.published is None and copied.remuneration == ""
    assert copied.deadline == source.deadline and copied.created == source.created
    assert copied.posts == source.posts and copied.open_to_partners == source.open_to_partners
    assert copy_rows(Vacancy, []) == 0
