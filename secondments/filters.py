"""One FilterSet per list, used by the page and by the API.

Choices that name objects are limited to what the caller may see: the nominations' ``vacancy``
filter knows only the vacancies the caller sees, so a draft's reference and a made-up one get the
same answer (400), and no filter tells a draft from nothing.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.filters import SyncFilterSet
from missions.models import FieldOperation
from secondments.models import FieldOfExpertise, Nomination, Secondment, Vacancy
from states.models import Body, Dimension, Partner, State


def _visible_vacancies(request: HttpRequest | None) -> QuerySet[Vacancy]:
    return Vacancy.objects.visible_to(getattr(request, "user", None))


class UpperCaseModelChoiceField(forms.ModelChoiceField):
    """A reference or code in any case (``vnbahs00592`` is ``VNBAHS00592``)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class ReferenceFilter(django_filters.ModelChoiceFilter):
    field_class = UpperCaseModelChoiceField


class NominatorCodeField(forms.CharField):
    """The code of a participating State or of a Partner for Co-operation, in any case."""

    default_error_messages = {"invalid": _("No State or Partner has the code %(code)s.")}

    def to_python(self, value: Any) -> str:
        code = (super().to_python(value) or "").strip().upper()
        if not code:
            return code
        well_formed = re.fullmatch(r"[A-Z]{2,4}", code) is not None
        if not (
            well_formed
            and (State.objects.filter(code=code).exists() or Partner.objects.filter(code=code).exists())
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"code": code})
        return code


class NominatorFilter(django_filters.CharFilter):
    """``state``: the nominating (or seconding) State's code, or the Partner's."""

    field_class = NominatorCodeField

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(Q(state_id=value) | Q(partner_id=value)) if value else qs


class VacancyStatusFilter(django_filters.ChoiceFilter):
    """The current status: an open vacancy whose deadline passed counts as closed."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return qs.with_status(value) if value else qs  # type: ignore[attr-defined]


class VacancyFilter(django_filters.FilterSet):
    """Vacancies: status, post, appointment, grade, dimension, field, deadline range, and ``q``."""

    status = VacancyStatusFilter(choices=Vacancy.Status.choices, label=_("Status"), empty_label=_("any"))
    field_operation = django_filters.ModelChoiceFilter(
        queryset=FieldOperation.objects.all(),
        to_field_name="slug",
        label=_("Field operation"),
        empty_label=_("any"),
    )
    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.all(), to_field_name="slug", label=_("Body"), empty_label=_("any")
    )
    appointment = django_filters.ChoiceFilter(
        choices=Vacancy.Appointment.choices, label=_("Appointment"), empty_label=_("any")
    )
    grade = django_filters.ChoiceFilter(choices=Vacancy.Grade.choices, label=_("Grade"), empty_label=_("any"))
    dimension = django_filters.ModelChoiceFilter(
        queryset=Dimension.objects.all(), label=_("Dimension"), empty_label=_("any")
    )
    field_of_expertise = django_filters.ModelChoiceFilter(
        queryset=FieldOfExpertise.objects.all(), label=_("Field of expertise"), empty_label=_("any")
    )
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("Deadline from")
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("Deadline until")
    )
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Vacancy], name: str, value: Any) -> QuerySet[Vacancy]:
        value = (value or "").strip()
        return queryset.search(value) if value else queryset  # type: ignore[attr-defined]


class NominationFilter(django_filters.FilterSet):
    """Nominations: vacancy (a reference the caller can see), state (State or Partner code), status."""

    vacancy = ReferenceFilter(
        queryset=_visible_vacancies,
        to_field_name="reference",
        label=_("Vacancy"),
        # Formatted once, by Django, with the value as a parameter: a reference holding "%" is safe.
        error_messages={"invalid_choice": _("No vacancy has the reference %(value)s.")},
    )
    state = NominatorFilter(label=_("State or Partner"), max_length=4)
    status = django_filters.ChoiceFilter(
        choices=Nomination.Status.choices, label=_("Status"), empty_label=_("any")
    )

    class Meta:
        model = Nomination
        fields: list[str] = []


class SecondmentFilter(django_filters.FilterSet):
    """Secondments: state (State or Partner code), status (planned, active, ended), ending_before."""

    state = NominatorFilter(label=_("State or Partner"), max_length=4)
    status = django_filters.ChoiceFilter(
        field_name="current_status",
        choices=Secondment.Status.choices,
        label=_("Status"),
        empty_label=_("any"),
    )
    ending_before = django_filters.DateFilter(field_name="end", lookup_expr="lte", label=_("Ending before"))

    class Meta:
        model = Secondment
        fields: list[str] = []


class VacancyApiFilter(VacancyFilter, SyncFilterSet):
    """The API's vacancy filters: the page's, plus ``updated_since`` and ``ordering``."""

    class Meta(VacancyFilter.Meta):
        pass


class NominationApiFilter(NominationFilter, SyncFilterSet):
    """The API's nomination filters: the page's, plus ``updated_since`` and ``ordering``."""

    class Meta(NominationFilter.Meta):
        pass


class SecondmentApiFilter(SecondmentFilter, SyncFilterSet):
    """The API's secondment filters: the page's, plus ``updated_since`` and ``ordering``."""

    class Meta(SecondmentFilter.Meta):
        pass
