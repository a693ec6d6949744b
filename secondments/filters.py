"""One FilterSet per list, used by the page and by the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from missions.models import FieldOperation
from secondments.models import FieldOfExpertise, Nomination, Secondment, Vacancy
from states.models import Body, Dimension, State


class VacancyFilter(django_filters.FilterSet):
    """Vacancies: status, post, appointment, grade, dimension, field, deadline range, and ``q``."""

    status = django_filters.ChoiceFilter(choices=Vacancy.Status.choices, label=_("status"))
    field_operation = django_filters.ModelChoiceFilter(
        queryset=FieldOperation.objects.all(), to_field_name="slug", label=_("field operation")
    )
    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.all(), to_field_name="slug", label=_("body")
    )
    appointment = django_filters.ChoiceFilter(choices=Vacancy.Appointment.choices, label=_("appointment"))
    grade = django_filters.ChoiceFilter(choices=Vacancy.Grade.choices, label=_("grade"))
    dimension = django_filters.ModelChoiceFilter(queryset=Dimension.objects.all(), label=_("dimension"))
    field_of_expertise = django_filters.ModelChoiceFilter(
        queryset=FieldOfExpertise.objects.all(), label=_("field of expertise")
    )
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("deadline from")
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("deadline until")
    )
    q = django_filters.CharFilter(method="search", label=_("search"), max_length=200)

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def search(self, queryset: QuerySet[Vacancy], name: str, value: Any) -> QuerySet[Vacancy]:
        from secondments.services import vacancy_search

        value = (value or "").strip()
        if not value:
            return queryset
        return vacancy_search(queryset, value)


class StateCodeField(forms.ModelChoiceField):
    """A State code in any case (``at`` is ``AT``), as the other apps' State filters read it."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class StateCodeFilter(django_filters.ModelChoiceFilter):
    field_class = StateCodeField


class NominationFilterForm(forms.Form):
    """An unknown vacancy reference is a form error (400 on the API), like an unknown State code."""

    def clean_vacancy(self) -> str:
        reference = (self.cleaned_data.get("vacancy") or "").strip().upper()
        if reference and not Vacancy.objects.filter(reference=reference).exists():
            # params, not %-formatting here: django-filter formats the message with them, and a
            # reference holding "%" would otherwise break that (a 500 found by fuzzing).
            raise forms.ValidationError(
                _("No vacancy has the reference %(reference)s."),
                code="invalid",
                params={"reference": reference},
            )
        return reference


class NominationFilter(django_filters.FilterSet):
    """Nominations: vacancy (reference), state (code), status."""

    vacancy = django_filters.CharFilter(field_name="vacancy__reference", label=_("vacancy"), max_length=20)
    state = StateCodeFilter(queryset=State.objects.all(), label=_("State"))
    status = django_filters.ChoiceFilter(choices=Nomination.Status.choices, label=_("status"))

    class Meta:
        model = Nomination
        fields: list[str] = []
        form = NominationFilterForm


class SecondmentFilter(django_filters.FilterSet):
    """Secondments: state, status (planned, active, ended), ending_before."""

    state = StateCodeFilter(queryset=State.objects.all(), label=_("State"))
    status = django_filters.ChoiceFilter(
        field_name="current_status", choices=Secondment.Status.choices, label=_("status")
    )
    ending_before = django_filters.DateFilter(field_name="end", lookup_expr="lte", label=_("ending before"))

    class Meta:
        model = Secondment
        fields: list[str] = []
