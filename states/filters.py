"""Filters of the organisation's lists: one FilterSet per list, used by the page and by the API."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, CharField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractYear
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.sorting import SortFilter
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


FIRST_DECADE = 1970  # the Helsinki Final Act, 1975


def joined_decades() -> list[tuple[str, str]]:
    """The decades States joined in, up to today's: ``("1990", "1990–1999")``."""
    return [
        (str(decade), f"{decade}–{decade + 9}")
        for decade in range(FIRST_DECADE, timezone.localdate().year + 1, 10)
    ]


def membership_expression() -> Case:
    """``current`` or ``former`` for each State, as of today: the facet of ``membership``."""
    today = timezone.localdate()
    return Case(
        When(left__lte=today, then=Value("former")),
        When(joined__lte=today, then=Value("current")),
        default=None,
        output_field=CharField(),
    )


def decade_expression() -> Any:
    """The decade each State joined in (``1990``): the facet of ``joined``."""
    return Cast(ExtractYear("joined"), IntegerField()) / Value(10) * Value(10)


def _by_local_name(*first: str) -> Any:
    """An order by ``first`` columns, then by the names in the page's language (one query)."""
    return lambda: (*first, State.objects.local_name_order(), "code")  # type: ignore[attr-defined]


class StateFilter(FilterSet):
    """Participating States: today's by default; ``as_of`` answers "who participated on day D".

    ``as_of`` takes precedence over ``membership`` (which only chooses among today's, former or all
    States). A malformed date or an unknown choice is a form error: 400 on the API. Always bound
    (no data is no filter), so that today's participants are the default wherever it is used.
    """

    MEMBERSHIP_CHOICES = [
        ("current", _("Participating today")),
        ("former", _("Former participating States")),
        ("all", _("Every State that ever participated")),
    ]
    # ``membership`` left empty means "current": its facet is counted under "all".
    facet_neutral = {"membership": "all"}

    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
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
    joined = django_filters.ChoiceFilter(
        label=_("Joined"), choices=joined_decades, method="filter_joined", empty_label=_("any")
    )
    sort = SortFilter(
        {
            "name": (_("Name"), _by_local_name()),
            "-name": (_("Name, Z to A"), lambda: (State.objects.local_name_order().desc(), "code")),  # type: ignore[attr-defined]
            "joined": (_("Joined, earliest first"), _by_local_name("joined")),
            "-joined": (_("Joined, latest first"), _by_local_name("-joined")),
            "code": (_("Code"), ("code",)),
        }
    )

    class Meta:
        model = State
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

    def filter_as_of(self, queryset: QuerySet[State], name: str, value: datetime.date) -> QuerySet[State]:
        return queryset.participating(value)  # type: ignore[attr-defined]

    def filter_membership(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        # Applied in filter_queryset, where it can see whether a date was given.
        return queryset

    def filter_joined(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        start = int(value)
        return queryset.filter(
            joined__gte=datetime.date(start, 1, 1), joined__lt=datetime.date(start + 10, 1, 1)
        )

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

    group = django_filters.ChoiceFilter(label=_("Group"), choices=Partner.Group.choices)

    class Meta:
        model = Partner
        fields = ["group"]


class BodyFilter(FilterSet):
    """Bodies and institutions, by kind; a sort order (the page groups them by kind, in that order)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Body.Kind.choices, empty_label=_("any"))
    sort = SortFilter(
        {
            "name": (_("Name"), ("name", "id")),
            "established": (
                _("Established, oldest first"),
                (F("established").asc(nulls_last=True), "name", "id"),
            ),
            "-established": (
                _("Established, newest first"),
                (F("established").desc(nulls_last=True), "name", "id"),
            ),
        }
    )

    class Meta:
        model = Body
        fields = ["kind"]


class ChairpersonshipFilter(FilterSet):
    """Chairpersonships, by State code (upper-case) or year range."""

    state = django_filters.CharFilter(label=_("State"), field_name="state_id", max_length=4)
    year_after = django_filters.NumberFilter(label=_("From year"), field_name="year", lookup_expr="gte")
    year_before = django_filters.NumberFilter(label=_("Until year"), field_name="year", lookup_expr="lte")

    class Meta:
        model = Chairpersonship
        fields = ["state"]
