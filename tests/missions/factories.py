"""Factories of the missions app (and the few States rows its tests need)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from missions.models import FieldOperation, Figures, HeadOfOperation, MandateEvent, Pledge, Project
from states.models import Body, Dimension, State


class StateFactory(DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "Q" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26])
    name = factory.LazyAttribute(lambda o: f"State {o.code}")
    iso_alpha3 = factory.LazyAttribute(lambda o: (o.code + "X")[:3])
    joined = datetime.date(1975, 8, 1)


class DimensionFactory(DjangoModelFactory):
    class Meta:
        model = Dimension
        django_get_or_create = ("slug",)

    slug = "human"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("slug",)

    slug = "odihr"
    name = "Office for Democratic Institutions and Human Rights"
    kind = Body.Kind.INSTITUTION
    seat = "Warsaw"


def _code(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "X" + letters[(n // 26) % 26] + letters[n % 26]


class FieldOperationFactory(DjangoModelFactory):
    class Meta:
        model = FieldOperation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"operation-{n}")
    name = factory.Sequence(lambda n: f"Operation {n}")
    code = factory.Sequence(_code)
    kind = FieldOperation.Kind.MISSION
    region = FieldOperation.Region.SOUTH_EASTERN_EUROPE
    host_state = factory.SubFactory(StateFactory)
    location = "Somewhere"
    established = datetime.date(2000, 1, 1)
    decisions = factory.LazyFunction(lambda: ["PC.DEC/1"])


class HeadFactory(DjangoModelFactory):
    class Meta:
        model = HeadOfOperation

    operation = factory.SubFactory(FieldOperationFactory)
    name = "Jane Doe"
    title = "Head of Mission"
    started = datetime.date(2024, 1, 1)


class MandateEventFactory(DjangoModelFactory):
    class Meta:
        model = MandateEvent

    operation = factory.SubFactory(FieldOperationFactory)
    kind = MandateEvent.Kind.RENEWAL
    date = datetime.date(2024, 12, 19)
    decision = "PC.DEC/1500"


class FiguresFactory(DjangoModelFactory):
    class Meta:
        model = Figures

    operation = factory.SubFactory(FieldOperationFactory)
    as_of = datetime.date(2024, 1, 1)
    offices = 3
    international_seconded = 20
    international_contracted = 10
    local_staff = 100
    unified_budget_eur = Decimal("10000000.00")


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    field_operation = factory.SubFactory(FieldOperationFactory)
    body = None
    dimension = factory.SubFactory(DimensionFactory)
    budget_eur = Decimal("100000.00")
    status = Project.Status.APPROVED


class PledgeFactory(DjangoModelFactory):
    class Meta:
        model = Pledge

    project = factory.SubFactory(ProjectFactory)
    state = factory.SubFactory(StateFactory)
    amount_eur = Decimal("10000.00")
    date = datetime.date(2026, 1, 15)
