"""Factories of the organisation's reference data, for tests that need rows the reference lacks."""

from __future__ import annotations

import datetime

import factory

from states.models import Body, Chairpersonship, Delegation, Dimension, Diplomat, State, Topic

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    # Two upper-case letters, unlikely to clash with the reference codes in tests that mix them.
    code = factory.Sequence(lambda n: "Q" + LETTERS[n // 26 % 26] + LETTERS[n % 26] + "Q")
    name = factory.Sequence(lambda n: f"State {n}")
    iso_alpha3 = "XXX"
    joined = datetime.date(1992, 1, 30)


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"dimension-{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    order = factory.Sequence(lambda n: n)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    dimension = factory.SubFactory(DimensionFactory)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"body-{n}")
    name = factory.Sequence(lambda n: f"Body {n}")
    kind = Body.Kind.COMMITTEE
    seat = "Vienna"


class ChairpersonshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chairpersonship

    year = factory.Sequence(lambda n: 1991 + n)
    state = factory.SubFactory(StateFactory)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ("state",)

    state = factory.SubFactory(StateFactory)


class DiplomatFactory(factory.django.DjangoModelFactory):
    """A fictitious diplomat (no real names ship with the project)."""

    class Meta:
        model = Diplomat

    delegation = factory.SubFactory(DelegationFactory)
    name = factory.Sequence(lambda n: f"Diplomat {n}")
    title = "Counsellor"
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def bodies(self, create: bool, extracted: list[Body] | None, **kwargs: object) -> None:
        if create and extracted:
            self.bodies.set(extracted)
