"""Services: every rule and refusal, who may act, the events, the audit trail and the status history."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from core.errors import Conflict, Invalid, LoginRequired, NotAllowed, NotVisible
from core.models import AuditEntry, Event
from elections import services
from elections.models import ObservationActivity, ObserverOffer, RecommendationAssessment, Report
from tests.conftest import make_pdf
from tests.elections.factories import ActivityFactory, ElectionFactory, OfferFactory, ReportFactory, days

pytestmark = pytest.mark.django_db


def pdf(content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "r.pdf", content if content is not None else make_pdf(), content_type="application/pdf"
    )


# --- elections -----------------------------------------------------------------------------------


def test_election_create_publishes_event(olga, georgia):
    election = services.election_create(actor=olga, state=georgia, kind="parliamentary", date=days(100))
    event = Event.objects.get(name="election.created")
    assert event.data == {
        "id": election.pk,
        "state": "GE",
        "kind": "parliamentary",
        "date": days(100).isoformat(),
        "round": 1,
        "first_round": None,
        "early": False,
    }
    entry = AuditEntry.objects.get(action="election.created", target_id=str(election.pk))
    assert entry.actor == olga


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_odihr_records_elections(request, georgia, who):
    with pytest.raises(NotAllowed):
        services.election_create(
            actor=request.getfixturevalue(who), state=georgia, kind="local", date=days(9)
        )
    assert not Event.objects.exists()


def test_anonymous_is_asked_to_log_in(georgia):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(LoginRequired):
        services.election_create(actor=AnonymousUser(), state=georgia, kind="local", date=days(9))


def test_early_parliamentary_is_early(olga, georgia):
    election = services.election_create(actor=olga, state=georgia, kind="early-parliamentary", date=days(10))
    assert election.early


def test_second_round_rules(olga, georgia, austria):
    first = services.election_create(actor=olga, state=georgia, kind="presidential", date=days(30))
    with pytest.raises(Invalid) as error:
        services.election_create(actor=olga, state=georgia, kind="presidential", date=days(44), round=2)
    assert "first_round" in error.value.errors
    with pytest.raises(Invalid):
        services.election_create(
            actor=olga, state=austria, kind="presidential", date=days(44), round=2, first_round=first
        )
    with pytest.raises(Invalid):
        services.election_create(
            actor=olga, state=georgia, kind="presidential", date=days(20), round=2, first_round=first
        )
    second = services.election_create(
        actor=olga, state=georgia, kind="presidential", date=days(44), round=2, first_round=first
    )
    assert second.first_round == first
    assert list(Event.objects.filter(data__round=2).values_list("data__id", flat=True)) == [second.pk]


def test_election_in_non_participating_state_refused(olga, georgia):
    with pytest.raises(Invalid):
        services.election_create(actor=olga, state=georgia, kind="local", date=datetime.date(1970, 1, 1))


def test_election_too_far_ahead_refused(olga, georgia):
    with pytest.raises(Invalid) as error:
        services.election_create(actor=olga, state=georgia, kind="local", date=datetime.date(9999, 12, 31))
    assert "date" in error.value.errors


def test_the_same_election_twice_is_invalid(olga, georgia):
    services.election_create(actor=olga, state=georgia, kind="local", date=days(40))
    with pytest.raises(Invalid) as error:
        services.election_create(actor=olga, state=georgia, kind="local", date=days(40))
    assert "already recorded" in error.value.message


def test_election_update(olga, election, austria):
    services.election_update(actor=olga, election=election, kind="presidential", note="Snap poll")
    election.refresh_from_db()
    assert (election.kind, election.note) == ("presidential", "Snap poll")
    entry = AuditEntry.objects.get(action="election.updated")
    assert entry.data == {"kind": "presidential", "note": "Snap poll"}
    services.election_update(actor=olga, election=election, state=austria)  # no activity yet
    assert not Event.objects.filter(name="election.created").exists()


def test_election_with_activities_keeps_its_state_and_fits_them(olga, election, eom, austria):
    with pytest.raises(Invalid) as error:
        services.election_update(actor=olga, election=election, state=austria)
    assert "state" in error.value.errors
    with pytest.raises(Invalid) as error:  # the EOM opens in 18 days: election day can't come first
        services.election_update(actor=olga, election=election, date=days(10))
    assert "date" in error.value.errors


def test_election_update_unknown_field(olga, election):
    with pytest.raises(Invalid):
        services.election_update(actor=olga, election=election, is_demo=True)


# --- activities ----------------------------------------------------------------------------------


def test_one_deployment_per_election(olga, election):
    services.activity_create(actor=olga, election=election, kind="EOM", opened=days(10))
    with pytest.raises(Invalid) as error:
        services.activity_create(actor=olga, election=election, kind="LEOM", opened=days(11))
    assert "already has its deployment" in error.value.message


def test_one_deployment_per_election_is_a_database_constraint(election):
    ActivityFactory(election=election, kind="EOM")
    with pytest.raises(IntegrityError):
        ObservationActivity.objects.create(election=election, kind="EAM", opened=days(5))


def test_nam_requests_no_observers(olga, election):
    with pytest.raises(Invalid):
        services.activity_create(actor=olga, election=election, kind="NAM", opened=days(1), lto_requested=2)
    with pytest.raises(Invalid) as error:
        services.activity_create(
            actor=olga, election=election, kind="NAM", opened=days(1), sto_deadline=days(5)
        )
    assert "sto_deadline" in error.value.errors


def test_activity_dates(olga, election):
    with pytest.raises(Invalid):
        services.activity_create(actor=olga, election=election, kind="EOM", opened=days(10), closed=days(10))
    with pytest.raises(Invalid) as error:  # election day is in 60 days
        services.activity_create(actor=olga, election=election, kind="EOM", opened=days(61))
    assert "opened" in error.value.errors
    with pytest.raises(Invalid) as error:
        services.activity_create(
            actor=olga, election=election, kind="EOM", opened=days(10), sto_deadline=days(60)
        )
    assert "sto_deadline" in error.value.errors
    with pytest.raises(Invalid) as error:
        services.activity_create(actor=olga, election=election, kind="EOM", opened=days(10), closed=days(800))
    assert "closed" in error.value.errors
    eom = services.activity_create(
        actor=olga, election=election, kind="EOM", opened=days(10), sto_deadline=days(59)
    )
    assert (eom.lto_last_day, eom.sto_last_day) == (days(9), days(59))


def test_sto_window_defaults_to_the_day_before_election_day(olga, election):
    eom = services.activity_create(actor=olga, election=election, kind="EOM", opened=days(10))
    assert eom.sto_last_day == days(59)


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_odihr_manages_activities(request, election, eom, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.activity_create(actor=actor, election=election, kind="NAM", opened=days(1))
    with pytest.raises(NotAllowed):
        services.activity_update(actor=actor, activity=eom, head="X")


def test_activity_opened_for_offers_is_published_once(olga, election, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.activity_create(
            actor=olga, election=election, kind="EOM", opened=days(20), lto_requested=10, sto_requested=100
        )
        services.activity_update(actor=olga, activity=activity, sto_requested=120)
    event = Event.objects.get(name="observation_activity.opened")
    assert event.data["id"] == activity.pk
    assert event.data["state"] == "GE"
    assert (event.data["lto_offers_until"], event.data["sto_offers_until"]) == (
        days(19).isoformat(),
        days(59).isoformat(),
    )
    activity.refresh_from_db()
    assert activity.offers_opened is not None
    assert AuditEntry.objects.filter(action="observation_activity.opened").count() == 1


def test_an_activity_requesting_no_observers_does_not_open(olga, election):
    services.activity_create(actor=olga, election=election, kind="NAM", opened=days(3))
    services.activity_create(actor=olga, election=election, kind="EAM", opened=days(20))
    assert not Event.objects.filter(name="observation_activity.opened").exists()


def test_an_activity_opens_when_it_first_requests_observers(olga, election):
    eam = services.activity_create(actor=olga, election=election, kind="EAM", opened=days(20))
    services.activity_update(actor=olga, activity=eam, sto_requested=20)
    assert Event.objects.filter(name="observation_activity.opened", data__id=eam.pk).count() == 1


# --- offers ----------------------------------------------------------------------------------


def test_offer_rules(bob, eom, georgian_focal_point, started_eom):
    with pytest.raises(Invalid) as error:
        services.observer_offer_create(actor=bob, activity=eom, lto=-1, sto=2)
    assert "lto" in error.value.errors
    with pytest.raises(Invalid):
        services.observer_offer_create(actor=bob, activity=eom, lto=0, sto=0)
    with pytest.raises(Invalid) as error:
        services.observer_offer_create(actor=georgian_focal_point, activity=eom, lto=1, sto=1)
    assert "host State" in error.value.message
    with pytest.raises(Conflict) as conflict:  # LTOs after the deployment started
        services.observer_offer_create(actor=bob, activity=started_eom, lto=1, sto=1)
    assert "offers closed" in conflict.value.message
    offer = services.observer_offer_create(actor=bob, activity=eom, lto=1, sto=1)
    assert offer.state_id == "AT"
    assert AuditEntry.objects.filter(action="observer_offer.created", target_id=str(offer.pk)).exists()


def test_stos_are_offered_after_the_deployment_started(bob, started_eom):
    offer = services.observer_offer_create(actor=bob, activity=started_eom, lto=0, sto=12)
    assert (offer.lto, offer.sto) == (0, 12)


@pytest.mark.parametrize(
    ("who", "error"), [("alice", NotAllowed), ("olga", NotAllowed), ("erin", NotAllowed)]
)
def test_only_a_states_focal_point_offers(request, eom, who, error):
    with pytest.raises(error):
        services.observer_offer_create(actor=request.getfixturevalue(who), activity=eom, lto=1, sto=1)
    assert not ObserverOffer.objects.exists()


def test_named_observers_within_numbers(bob, eom):
    with pytest.raises(Invalid):
        services.observer_offer_create(
            actor=bob, activity=eom, lto=0, sto=1, observers=[{"name": "A", "role": "lto"}]
        )
    with pytest.raises(Invalid):
        services.observer_offer_create(
            actor=bob,
            activity=eom,
            lto=1,
            sto=0,
            observers=[{"name": "A", "role": "lto", "languages": ["deu"]}],
        )
    offer = services.observer_offer_create(
        actor=bob, activity=eom, lto=1, sto=0, observers=[{"name": "A", "role": "lto", "languages": ["en"]}]
    )
    assert offer.observers.get().languages == ["en"]


def test_offer_change(bob, eom):
    offer = services.observer_offer_create(
        actor=bob,
        activity=eom,
        lto=2,
        sto=5,
        observers=[{"name": "Anna", "role": "sto", "languages": ["de"]}],
    )
    services.observer_offer_update(actor=bob, offer=offer, sto=8, note="More")
    offer.refresh_from_db()
    assert (offer.lto, offer.sto, offer.note) == (2, 8, "More")
    assert offer.observers.count() == 1  # left as they were
    services.observer_offer_update(actor=bob, offer=offer, observers=[])
    assert offer.observers.count() == 0
    entry = AuditEntry.objects.filter(action="observer_offer.changed").order_by("id").first()
    assert entry is not None and entry.data["before"] == {"lto": 2, "sto": 5}
    with pytest.raises(Invalid):
        services.observer_offer_update(actor=bob, offer=offer, lto=0, sto=0)
    with pytest.raises(Invalid):
        services.observer_offer_update(actor=bob, offer=offer, sto=-3)


def test_offer_change_keeps_names_within_numbers(bob, eom):
    offer = services.observer_offer_create(
        actor=bob,
        activity=eom,
        lto=1,
        sto=2,
        observers=[{"name": "A", "role": "sto"}, {"name": "B", "role": "sto"}],
    )
    with pytest.raises(Invalid):
        services.observer_offer_update(actor=bob, offer=offer, sto=1)


def test_change_of_stos_only_after_the_deployment_started(bob, started_eom):
    offer = OfferFactory(activity=started_eom, state=bob.focal_point.state, lto=2, sto=5)
    services.observer_offer_update(actor=bob, offer=offer, sto=7)  # STO window open
    with pytest.raises(Conflict):
        services.observer_offer_update(actor=bob, offer=offer, lto=3)  # LTO window closed
    with pytest.raises(Conflict):
        services.observer_offer_update(actor=bob, offer=offer, observers=[{"name": "A", "role": "lto"}])
    services.observer_offer_update(actor=bob, offer=offer, observers=[{"name": "B", "role": "sto"}])
    with pytest.raises(Conflict):  # withdrawing would take the LTOs away too
        services.observer_offer_withdraw(actor=bob, offer=offer)
    offer.refresh_from_db()
    assert (offer.lto, offer.sto) == (2, 7)


def test_offer_change_and_withdraw_are_the_offering_states(alice, olga, bob, carol, erin, dave, eom):
    offer = OfferFactory(activity=eom, state=bob.focal_point.state)
    for actor in (carol, erin, dave):
        with pytest.raises(NotVisible):
            services.observer_offer_update(actor=actor, offer=offer, sto=1)
        with pytest.raises(NotVisible):
            services.observer_offer_withdraw(actor=actor, offer=offer)
    for actor in (alice, olga):
        with pytest.raises(NotAllowed):
            services.observer_offer_update(actor=actor, offer=offer, sto=1)
        with pytest.raises(NotAllowed):
            services.observer_offer_withdraw(actor=actor, offer=offer)
    services.observer_offer_withdraw(actor=bob, offer=offer)
    assert not ObserverOffer.objects.exists()
    entry = AuditEntry.objects.get(action="observer_offer.withdrawn")
    assert entry.data == {"activity": eom.pk, "state": "AT", "lto": 2, "sto": 10}


# --- reports -------------------------------------------------------------------------------


def test_report_needs_link_or_pdf(olga, eom):
    with pytest.raises(Invalid):
        services.report_add(actor=olga, activity=eom, kind="interim", published=days(0), title="Interim")
    report = services.report_add(
        actor=olga, activity=eom, kind="interim", published=days(0), title="Interim", file=pdf()
    )
    assert report.file
    assert report.file.storage.exists(report.file.name)


@pytest.mark.parametrize("content", [b"not a pdf", b"%PDF-1.4 only the magic bytes", b""])
def test_report_that_is_not_a_pdf_is_refused(olga, eom, content):
    with pytest.raises(Invalid) as error:
        services.report_add(
            actor=olga, activity=eom, kind="interim", published=days(0), title="Interim", file=pdf(content)
        )
    assert "file" in error.value.errors
    assert not Report.objects.exists()


def test_refused_report_leaves_no_file(olga, eom, private_dir):
    with pytest.raises(Invalid):  # a PDF, but a needs-assessment report of an EOM
        services.report_add(
            actor=olga, activity=eom, kind="needs-assessment", published=days(0), title="x", file=pdf()
        )
    assert [path for path in private_dir.rglob("*") if path.is_file()] == []
    services.report_add(actor=olga, activity=eom, kind="interim", published=days(0), title="x", file=pdf())
    assert len([path for path in private_dir.rglob("*") if path.is_file()]) == 1


def test_report_published_event(olga, eom):
    report = services.report_add(
        actor=olga,
        activity=eom,
        kind="preliminary",
        published=days(0),
        title="Statement",
        link="https://x.org/s",
    )
    event = Event.objects.get(name="report.published")
    assert event.data == {
        "id": report.pk,
        "activity": eom.pk,
        "election": eom.election_id,
        "state": "GE",
        "kind": "preliminary",
        "title": "Statement",
        "published": days(0).isoformat(),
    }
    assert AuditEntry.objects.filter(action="report.published", target_id=str(report.pk)).exists()


def test_needs_assessment_report_belongs_to_nam(olga, eom):
    with pytest.raises(Invalid):
        services.report_add(
            actor=olga,
            activity=eom,
            kind="needs-assessment",
            published=days(0),
            title="NAM",
            link="https://x.org",
        )


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_odihr_publishes_reports(request, eom, who):
    with pytest.raises(NotAllowed):
        services.report_add(
            actor=request.getfixturevalue(who),
            activity=eom,
            kind="interim",
            published=days(0),
            title="x",
            link="https://x.org",
        )


# --- recommendations -----------------------------------------------------------------------


def test_recommendation_history_is_kept(olga, eom):
    report = ReportFactory(activity=eom)
    rec = services.recommendation_add(actor=olga, report=report, text="Improve voter lists.")
    assert rec.status == "pending"
    later = report.published + datetime.timedelta(days=300)
    services.recommendation_assess(actor=olga, recommendation=rec, status="partially", assessed_on=later)
    services.recommendation_assess(
        actor=olga, recommendation=rec, status="mostly", assessed_on=later + datetime.timedelta(days=400)
    )
    rec.refresh_from_db()
    assert rec.status == "mostly"
    history = list(
        RecommendationAssessment.objects.filter(recommendation=rec).values_list("status", flat=True)
    )
    assert history == ["pending", "partially", "mostly"]
    # A rating recorded late for an earlier date joins the history without changing the current status.
    services.recommendation_assess(
        actor=olga,
        recommendation=rec,
        status="not-implemented",
        assessed_on=later + datetime.timedelta(days=1),
    )
    rec.refresh_from_db()
    assert rec.status == "mostly"
    assert rec.assessments.count() == 4


def test_recommendation_goes_to_the_activitys_final_report(olga, eom, election):
    with pytest.raises(Conflict):
        services.recommendation_add(actor=olga, activity=eom, text="x")
    final = ReportFactory(activity=eom)
    rec = services.recommendation_add(actor=olga, activity=eom, text="Publish results by polling station.")
    assert rec.report == final and rec.number == 1
    other = ReportFactory(activity=ActivityFactory(election=ElectionFactory(state=election.state)))
    with pytest.raises(Invalid):
        services.recommendation_add(actor=olga, activity=eom, report=other, text="x")


def test_recommendations_only_from_final_reports(olga, eom):
    interim = ReportFactory(activity=eom, kind="interim")
    with pytest.raises(Invalid):
        services.recommendation_add(actor=olga, report=interim, text="x")


def test_recommendation_update(olga, eom):
    from states.models import Dimension, Topic

    topic = Topic.objects.create(
        slug="elections", name="Elections", dimension=Dimension.objects.create(slug="human", name="Human")
    )
    rec = services.recommendation_add(actor=olga, report=ReportFactory(activity=eom), text="x", topic=topic)
    services.recommendation_update(actor=olga, recommendation=rec, text="Better text", number=7)
    rec.refresh_from_db()
    assert (rec.text, rec.number, rec.topic) == ("Better text", 7, topic)
    services.recommendation_update(actor=olga, recommendation=rec, topic=None)
    rec.refresh_from_db()
    assert rec.topic is None
    assert rec.status == "pending"


def test_assessment_rules(olga, alice, bob, eom):
    rec = services.recommendation_add(actor=olga, report=ReportFactory(activity=eom), text="x")
    with pytest.raises(Invalid):
        services.recommendation_assess(actor=olga, recommendation=rec, status="done", assessed_on=days(500))
    with pytest.raises(Invalid) as error:
        services.recommendation_assess(actor=olga, recommendation=rec, status="fully", assessed_on=days(-500))
    assert "assessed_on" in error.value.errors
    for actor in (alice, bob):
        with pytest.raises(NotAllowed):
            services.recommendation_assess(
                actor=actor, recommendation=rec, status="fully", assessed_on=days(500)
            )
    assert rec.assessments.count() == 1


def test_election_factory_rows_are_valid(georgia):
    ElectionFactory(state=georgia).full_clean()
