"""One FilterSet per list, used by the page and by the API. Every malformed value is a form error,
so the API answers 400 (DjangoFilterBackend) and the page shows the error."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import focal_state
from core.filters import FilterSet, SyncFilterSet
from core.sorting import SortFilter
from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation
from states.filters import StateCodeFilter
from states.models import State, Topic


class StrictBooleanField(forms.Field):
    """``true``/``false`` (also ``1``/``0``, any case); anything else is an error, not "no filter"."""

    widget = forms.Select(choices=[("", _("any")), ("true", _("yes")), ("false", _("no"))])
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


OBSERVATION_KIND_CHOICES = [*ObservationActivity.Kind.choices, ("none", _("none"))]


class ElectionFilter(FilterSet):
    state = StateCodeFilter(empty_label=_("any"))
    year = django_filters.NumberFilter(
        field_name="date",
        lookup_expr="year",
        label=_("Year"),
        min_value=1900,
        max_value=2200,
        decimal_places=0,
    )
    kind = django_filters.ChoiceFilter(choices=Election.Kind.choices, label=_("Kind"), empty_label=_("any"))
    observation_kind = django_filters.ChoiceFilter(
        choices=OBSERVATION_KIND_CHOICES,
        method="filter_observation_kind",
        label=_("Observation"),
        empty_label=_("any"),
    )
    upcoming = StrictBooleanFilter(method="filter_upcoming", label=_("Upcoming"))
    sort = SortFilter(
        {
            "-date": (_("Latest first"), ("-date", "id")),
            "date": (_("Earliest first"), ("date", "id")),
        }
    )

    class Meta:
        model = Election
        fields = ["state", "year", "kind", "observation_kind", "upcoming", "sort"]

    def filter_observation_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_observation_kind(value) if value else queryset  # type: ignore[attr-defined]

    def filter_upcoming(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(date__gte=today) if value else queryset.filter(date__lt=today)


class ObservationActivityFilter(FilterSet):
    election = django_filters.NumberFilter(
        field_name="election_id", min_value=1, max_value=2**31 - 1, decimal_places=0
    )
    kind = django_filters.ChoiceFilter(choices=ObservationActivity.Kind.choices)
    state = StateCodeFilter(field_name="election__state")
    year = django_filters.NumberFilter(
        field_name="election__date", lookup_expr="year", min_value=1900, max_value=2200, decimal_places=0
    )
    upcoming = StrictBooleanFilter(method="filter_upcoming", label=_("Upcoming or ongoing"))

    class Meta:
        model = ObservationActivity
        fields = ["election", "kind", "state", "year", "upcoming"]

    def filter_upcoming(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        today = timezone.localdate()
        current = Q(election__date__gte=today) | Q(closed__gt=today)
        return queryset.filter(current) if value else queryset.exclude(current)


def parse_month(value: str | None) -> datetime.date | None:
    """``2027-03`` → 1 March 2027; None when malformed."""
    if not value:
        return None
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date().replace(day=1)
    except ValueError:
        return None
    # Keep away from the ends of the calendar (the grid shows days of the months around).
    return month if 1900 <= month.year <= 2200 else None


class RecommendationFilter(FilterSet):
    """Recommendations by the State they were made to, the activity, the current status, the topic."""

    state = StateCodeFilter(field_name="report__activity__election__state", empty_label=_("any"))
    activity = django_filters.NumberFilter(
        field_name="report__activity_id",
        min_value=1,
        max_value=2**31 - 1,
        decimal_places=0,
        label=_("Activity"),
    )
    status = django_filters.ChoiceFilter(
        choices=Recommendation.Status.choices, label=_("Status"), empty_label=_("any")
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), to_field_name="slug", label=_("Topic"), empty_label=_("any")
    )

    class Meta:
        model = Recommendation
        fields = ["state", "activity", "status", "topic"]


class ObserverOfferFilter(FilterSet):
    """Offers by the offering State and the activity (each caller sees only what it may)."""

    state = StateCodeFilter(empty_label=_("any"))
    activity = django_filters.NumberFilter(
        field_name="activity_id", min_value=1, max_value=2**31 - 1, decimal_places=0, label=_("Activity")
    )

    class Meta:
        model = ObserverOffer
        fields = ["state", "activity"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = focal_state(getattr(self.request, "user", None))
        if own is not None:  # a focal point's list holds its own State's offers only
            self.filters["state"].queryset = State.objects.filter(pk=own.pk)


class ElectionApiFilter(ElectionFilter, SyncFilterSet):
    """The API's election filters: the page's, plus ``updated_since`` and ``ordering``."""

    class Meta(ElectionFilter.Meta):
        pass


class ObservationActivityApiFilter(ObservationActivityFilter, SyncFilterSet):
    """The API's observationactivity filters: the page's, plus ``updated_since`` and ``ordering``."""

    class Meta(ObservationActivityFilter.Meta):
        pass
