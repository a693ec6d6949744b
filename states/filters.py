"""Filters of the organisation's lists: one FilterSet per list, used by the page and by the API."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from states import names
from states.models import Body, Chairpersonship, Partner, State


class NameSortedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a State or Partner field, sorted by their names in the page's language."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in names.sorted_by_name(self.queryset.all()):
            yield self.choice(obj)


class StateCodeField(forms.ModelChoiceField):
    """A State by its code, in any case: ``at`` and ``AT`` both mean Austria. An unknown code is a
    form error (400 on the API, a message on the page). Shown by the name in the page's language,
    sorted by it."""

    iterator = NameSortedChoiceIterator

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)

    def label_from_instance(self, obj: Any) -> str:
        return names.label(obj)


class StateCodeFilter(django_filters.ModelChoiceFilter):
    """The one filter by State code of every list (``?state=at``)."""

    field_class = StateCodeField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", State.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("State"))
        kwargs.setdefault("empty_label", _("any"))
        super().__init__(*args, **kwargs)


class StateFilter(FilterSet):
    """Participating States: today's by default; ``as_of`` answers "who participated on day D".

    ``as_of`` takes precedence over ``membership`` (which only chooses among today's, former or all
    States). A malformed date or an unknown choice is a form error: 400 on the API.
    """

    MEMBERSHIP_CHOICES = [
        ("current", _("participating today")),
        ("former", _("former participating States")),
        ("all", _("every State that ever participated")),
    ]

    as_of = django_filters.DateFilter(
        label=_("Participating on"),
        method="filter_as_of",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("The States participating on that day (YYYY-MM-DD), former ones included."),
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=MEMBERSHIP_CHOICES,
        method="filter_membership",
        empty_label=None,
        help_text=_("Used when no date is given."),
    )
    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)

    class Meta:
        model = State
        fields: list[str] = []

    def filter_as_of(self, queryset: QuerySet[State], name: str, value: datetime.date) -> QuerySet[State]:
        return queryset.participating(value)  # type: ignore[attr-defined]

    def filter_membership(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        # Applied in filter_queryset, where it can see whether a date was given.
        return queryset

    def filter_search(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        return queryset.search(value, names.codes_named(value))  # type: ignore[attr-defined]

    def filter_queryset(self, queryset: QuerySet[State]) -> QuerySet[State]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("as_of"):
            return queryset
        today = timezone.localdate()
        membership = data.get("membership") or "current"
        if membership == "current":
            return queryset.participating(today)  # type: ignore[attr-defined]
        if membership == "former":
            return queryset.former(today)  # type: ignore[attr-defined]
        return queryset


class PartnerFilter(FilterSet):
    """Partners for Co-operation, by group."""

    group = django_filters.ChoiceFilter(label=_("group"), choices=Partner.Group.choices)

    class Meta:
        model = Partner
        fields = ["group"]


class BodyFilter(FilterSet):
    """Bodies and institutions, by kind."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Body.Kind.choices, empty_label=_("any"))

    class Meta:
        model = Body
        fields = ["kind"]


class ChairpersonshipFilter(FilterSet):
    """Chairpersonships, by State code (upper-case) or year range."""

    state = django_filters.CharFilter(label=_("State"), field_name="state_id", max_length=4)
    year_after = django_filters.NumberFilter(label=_("from year"), field_name="year", lookup_expr="gte")
    year_before = django_filters.NumberFilter(label=_("until year"), field_name="year", lookup_expr="lte")

    class Meta:
        model = Chairpersonship
        fields = ["state"]
