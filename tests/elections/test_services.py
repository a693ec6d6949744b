"""Services: every rule and refusal, the event, the audit trail and the status history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from core.api import Conflict
from core.models import AuditEntry, Event
from elections import services
from elections.models import ObservationActivity, RecommendationAssessment
from tests.elections.factories import ActivityFactory, ElectionFactory, ReportFactory, days

pytestmark = pytest.mark.django_db


def test_election_create_publishes_event(georgia):
    election = services.election_create(actor=None, state=georgia, kind="parliamentary", date=days(100))
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
    assert AuditEntry.objects.filter(action="election.created", target_id=str(election.pk)).exists()


def test_early_parliamentary_is_early(georgia):
    election = services.election_create(actor=None, state=georgia, kind="early-parliamentary", date=days(10))
    assert election.early


def test_second_round_rules(georgia, austria):
    first = services.election_create(actor=None, state=georgia, kind="presidential", date=days(30))
    with pytest.raises(ValidationError) as error:
        services.election_create(actor=None, state=georgia, kind="presidential", date=days(44), round=2)
    assert "first_round" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.election_create(
            actor=None, state=austria, kind="presidential", date=days(44), round=2, first_round=first
        )
    with pytest.raises(ValidationError):
        services.election_create(
            actor=None, state=georgia, kind="presidential", date=days(20), round=2, first_round=first
        )
    assert not Event.objects.filter(data__round=2).exists()


def test_election_in_non_participating_state_refused(georgia):
    with pytest.raises(ValidationError):
        services.election_create(actor=None, state=georgia, kind="local", date=datetime.date(1970, 1, 1))


def test_one_deployment_per_election(election):
    services.activity_create(actor=None, election=election, kind="EOM", opened=days(10))
    with pytest.raises(ValidationError):
        services.activity_create(actor=None, election=election, kind="LEOM", opened=days(11))


def test_one_deployment_per_election_is_a_database_constraint(election):
    ActivityFactory(election=election, kind="EOM")
    with pytest.raises(IntegrityError):
        ObservationActivity.objects.create(election=election, kind="EAM", opened=days(5))


def test_nam_requests_no_observers(election):
    with pytest.raises(ValidationError):
        services.activity_create(actor=None, election=election, kind="NAM", opened=days(1), lto_requested=2)


def test_activity_closes_after_it_opens(election):
    with pytest.raises(ValidationError):
        services.activity_create(actor=None, election=election, kind="EOM", opened=days(10), closed=days(10))


def test_offer_rules(bob, eom, georgian_focal_point, started_eom):
    at = bob.focal_point.state
    with pytest.raises(ValidationError) as error:
        services.observer_offer_create(actor=bob, activity=eom, state=at, lto=-1, sto=2)
    assert "lto" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.observer_offer_create(actor=bob, activity=eom, state=at, lto=0, sto=0)
    with pytest.raises(ValidationError) as error:
        services.observer_offer_create(
            actor=georgian_focal_point, activity=eom, state=eom.election.state, lto=1, sto=1
        )
    assert "host State" in " ".join(error.value.messages)
    with pytest.raises(Conflict):
        services.observer_offer_create(actor=bob, activity=started_eom, state=at, lto=1, sto=1)
    offer = services.observer_offer_create(actor=bob, activity=eom, state=at, lto=1, sto=1)
    assert AuditEntry.objects.filter(action="observer_offer.created", target_id=str(offer.pk)).exists()


def test_named_observers_within_numbers(bob, eom):
    at = bob.focal_point.state
    with pytest.raises(ValidationError):
        services.observer_offer_create(
            actor=bob, activity=eom, state=at, lto=0, sto=1, observers=[{"name": "A", "role": "lto"}]
        )
    offer = services.observer_offer_create(
        actor=bob,
        activity=eom,
        state=at,
        lto=1,
        sto=0,
        observers=[{"name": "A", "role": "lto", "languages": ["en"]}],
    )
    assert offer.observers.get().languages == ["en"]


def test_recommendation_history_is_kept(eom):
    report = ReportFactory(activity=eom)
    rec = services.recommendation_add(actor=None, report=report, text="Improve voter lists.")
    assert rec.status == "pending"
    later = report.published + datetime.timedelta(days=300)
    services.recommendation_assess(actor=None, recommendation=rec, status="partially", assessed_on=later)
    services.recommendation_assess(
        actor=None, recommendation=rec, status="mostly", assessed_on=later + datetime.timedelta(days=400)
    )
    rec.refresh_from_db()
    assert rec.status == "mostly"
    history = list(
        RecommendationAssessment.objects.filter(recommendation=rec).values_list("status", flat=True)
    )
    assert history == ["pending", "partially", "mostly"]
    # A rating recorded late for an earlier date joins the history without changing the current status.
    services.recommendation_assess(
        actor=None,
        recommendation=rec,
        status="not-implemented",
        assessed_on=later + datetime.timedelta(days=1),
    )
    rec.refresh_from_db()
    assert rec.status == "mostly"
    assert rec.assessments.count() == 4


def test_recommendations_only_from_final_reports(eom):
    interim = ReportFactory(activity=eom, kind="interim")
    with pytest.raises(ValidationError):
        services.recommendation_add(actor=None, report=interim, text="x")


def test_assessment_status_validated(eom):
    rec = services.recommendation_add(actor=None, report=ReportFactory(activity=eom), text="x")
    with pytest.raises(ValidationError):
        services.recommendation_assess(actor=None, recommendation=rec, status="done", assessed_on=days(500))


def test_report_needs_link_or_pdf(eom):
    with pytest.raises(ValidationError):
        services.report_add(actor=None, activity=eom, kind="interim", published=days(0), title="Interim")
    with pytest.raises(ValidationError):
        services.report_add(
            actor=None,
            activity=eom,
            kind="interim",
            published=days(0),
            title="Interim",
            file=SimpleUploadedFile("r.pdf", b"not a pdf", content_type="application/pdf"),
        )
    report = services.report_add(
        actor=None,
        activity=eom,
        kind="interim",
        published=days(0),
        title="Interim",
        file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
    )
    assert report.file


def test_needs_assessment_report_belongs_to_nam(eom):
    with pytest.raises(ValidationError):
        services.report_add(
            actor=None,
            activity=eom,
            kind="needs-assessment",
            published=days(0),
            title="NAM",
            link="https://x.org",
        )


def test_election_factory_rows_are_valid(georgia):
    ElectionFactory(state=georgia).full_clean()
