"""Factories of the secondment cycle (factory_boy)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from missions.models import FieldOperation
from secondments.models import FieldOfExpertise, Nomination, Vacancy
from states.models import Dimension, State


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = "BA"
    name = "Bosnia and Herzegovina"
    iso_alpha3 = "BIH"
    joined = datetime.date(1992, 4, 30)


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension
        django_get_or_create = ("slug",)

    slug = "human"
    name = "Human dimension"


class FieldOfExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfExpertise
        django_get_or_create = ("slug",)

    slug = "rule-of-law"
    name = "Rule of law"


class FieldOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOperation
        django_get_or_create = ("slug",)

    slug = "mission-to-bosnia-and-herzegovina"
    name = "OSCE Mission to Bosnia and Herzegovina"
    code = "BAH"
    kind = FieldOperation.Kind.MISSION
    region = FieldOperation.Region.SOUTH_EASTERN_EUROPE
    host_state = factory.SubFactory(StateFactory)
    location = "Sarajevo"
    established = datetime.date(1995, 12, 8)


class VacancyFactory(factory.django.DjangoModelFactory):
    """A vacancy written straight to the table (tests of services build theirs through them)."""

    class Meta:
        model = Vacancy

    reference = factory.Sequence(lambda n: f"VNBAHS9{n:04d}")
    title = factory.Sequence(lambda n: f"Rule of Law Officer {n}")
    field_operation = factory.SubFactory(FieldOperationFactory)
    duty_station = "Sarajevo"
    appointment = Vacancy.Appointment.SECONDED
    grade = "S2"
    field_of_expertise = factory.SubFactory(FieldOfExpertiseFactory)
    dimension = factory.SubFactory(DimensionFactory)
    posts = 1
    notice_language = "en"
    description = "The Mission supports the judiciary."
    requirements = "A law degree."
    languages = factory.LazyFunction(lambda: ["en"])
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    status = Vacancy.Status.OPEN
    published = factory.LazyFunction(timezone.now)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    vacancy = factory.SubFactory(VacancyFactory)
    state = factory.LazyAttribute(lambda o: State.objects.get(code="AT"))
    nationality = factory.LazyAttribute(lambda o: o.state)
    given_name = "Anna"
    family_name = factory.Sequence(lambda n: f"Huber{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    gender = Nomination.Gender.FEMALE
    motivation = "Motivated."
    status = Nomination.Status.SUBMITTED
