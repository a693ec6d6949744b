"""factory_boy factories of election observation (rows written directly: fixtures, not behaviour)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation, Report
from tests.conftest import make_state


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    state = factory.LazyFunction(lambda: make_state("GE", "Georgia", iso_alpha3="GEO"))
    kind = Election.Kind.PARLIAMENTARY
    date = factory.Sequence(lambda n: days(60 + n))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationActivity

    election = factory.SubFactory(ElectionFactory)
    kind = ObservationActivity.Kind.EOM
    head = "Ambassador A. Example"
    opened = factory.LazyAttribute(lambda o: o.election.date - datetime.timedelta(days=42))
    core_team_size = 12
    lto_requested = 30
    sto_requested = 300


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObserverOffer

    activity = factory.SubFactory(ActivityFactory)
    state = factory.LazyFunction(lambda: make_state("FR", "France", iso_alpha3="FRA"))
    lto = 2
    sto = 10


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    activity = factory.SubFactory(ActivityFactory)
    kind = Report.Kind.FINAL
    published = factory.LazyAttribute(lambda o: o.activity.election.date + datetime.timedelta(days=60))
    title = factory.Sequence(lambda n: f"Final report {n}")
    link = "https://www.osce.org/odihr/elections/example"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Review the legal framework well ahead of elections."
