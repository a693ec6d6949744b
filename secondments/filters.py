"""One FilterSet per list, used by the page and by the API.

Choices that name objects are limited to what the caller may see: the nominations' ``vacancy``
filter knows only the vacancies the caller sees, so a draft's reference and a made-up one get the
same answer (400), and no filter tells a draft from nothing.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, SyncFilterSet
from core.sorting import SortFilter
from missions.models import FieldOperation
from secondments.models import FieldOfExpertise, Nomination, Secondment, Vacancy
from states import names
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


CLOSING_CHOICES = (("3", _("within 3 days")), ("7", _("within a week")), ("14", _("within two weeks")))


class VacancyFilter(FilterSet):
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
    closing = django_filters.ChoiceFilter(
        choices=CLOSING_CHOICES, label=_("Closing soon"), empty_label=_("any"), method="filter_closing"
    )
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)
    sort = SortFilter(
        {
            "relevance": (_("Best match first (with a search)"), ("-rank", "deadline", "reference")),
            "deadline": (_("Deadline, soonest first"), ("deadline", "reference")),
            "-deadline": (_("Deadline, latest first"), ("-deadline", "reference")),
            "-published": (_("Newest first"), ("-published", "reference")),
            "title": (_("Title"), ("title", "reference")),
            "reference": (_("Reference"), ("reference",)),
        }
    )

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def filter_closing(self, queryset: QuerySet[Vacancy], name: str, value: str) -> QuerySet[Vacancy]:
        """Open vacancies whose deadline is within ``value`` days (today included)."""
        if not value:
            return queryset
        return queryset.closing_within(int(value))  # type: ignore[attr-defined]

    def filter_search(self, queryset: QuerySet[Vacancy], name: str, value: Any) -> QuerySet[Vacancy]:
        value = (value or "").strip()
        return queryset.search(value) if value else queryset  # type: ignore[attr-defined]


def _nominator_choices(seen: QuerySet[Any]) -> list[tuple[str, str]]:
    """The States and Partners of the nominations or secondments ``seen``, by name in the page's
    language (3 queries: the codes, the States, the Partners)."""
    codes = {code for pair in seen.values_list("state_id", "partner_id").distinct() for code in pair if code}
    nominators: list[State | Partner] = [
        *State.objects.filter(code__in=codes),
        *Partner.objects.filter(code__in=codes),
    ]
    return [("", str(_("any"))), *((obj.code, names.label(obj)) for obj in names.sorted_by_name(nominators))]


def _operation_choices(seen: QuerySet[Secondment]) -> list[tuple[str, str]]:
    """The field operations of the secondments ``seen`` (one query)."""
    operations = FieldOperation.objects.filter(pk__in=seen.values("field_operation_id")).order_by("name")
    return [("", str(_("any"))), *operations.values_list("slug", "name")]


def nominator_expression() -> Coalesce:
    """The nominating (or seconding) State's code, or the Partner's: the facet of ``state``."""
    return Coalesce("state_id", "partner_id")


class SeenChoicesMixin:
    """On a page, the ``state`` choices are the States and Partners of the rows the caller sees (a
    focal point: its own), so a list never names another State's candidates or secondees; with
    ``limit_operations``, the ``field_operation`` choices are those of the rows seen.

    Only what is shown: validation still knows every code and operation, so an API caller gets the
    same answer for another State's code as for one with nothing to list (none)."""

    seen_model: Any
    limit_operations = False
    request: HttpRequest | None

    @property
    def form(self) -> forms.Form:
        form = super().form  # type: ignore[misc]
        if self.request is not None and not getattr(form, "choices_limited", False):
            seen = self.seen_model.objects.visible_to(self.request.user).order_by()
            nominators = functools.cache(lambda: _nominator_choices(seen))
            form.fields["state"].widget = forms.Select(choices=nominators)  # type: ignore[arg-type]
            if self.limit_operations:
                form.fields["field_operation"].widget.choices = functools.cache(
                    lambda: _operation_choices(seen)
                )
            form.choices_limited = True  # type: ignore[attr-defined]
        return form


class NominationFilter(SeenChoicesMixin, FilterSet):
    """Nominations: vacancy (a reference the caller can see), state (State or Partner code), status,
    and a sort order. On a page, the ``state`` choices are those of the nominations the caller sees.
    """

    seen_model = Nomination

    # A text box for the reference, not a list of every vacancy one may see (thousands for HR).
    vacancy = ReferenceFilter(
        queryset=_visible_vacancies,
        to_field_name="reference",
        label=_("Vacancy"),
        help_text=_("Its reference, for example VNBAHS00592."),
        widget=forms.TextInput(attrs={"size": 14, "autocomplete": "off", "spellcheck": "false"}),
        # Formatted once, by Django, with the value as a parameter: a reference holding "%" is safe.
        error_messages={"invalid_choice": _("No vacancy has the reference %(value)s.")},
    )
    state = NominatorFilter(label=_("State or Partner"), max_length=4)
    status = django_filters.ChoiceFilter(
        choices=Nomination.Status.choices, label=_("Status"), empty_label=_("any")
    )
    sort = SortFilter(
        {
            "-submitted": (_("Newest first"), ("-submitted", "-id")),
            "submitted": (_("Oldest first"), ("submitted", "id")),
            "vacancy": (_("Vacancy"), ("vacancy__reference", "-submitted", "-id")),
            "candidate": (_("Candidate"), ("family_name", "given_name", "id")),
        }
    )

    class Meta:
        model = Nomination
        fields: list[str] = []


ENDING_CHOICES = (("30", _("within 30 days")), ("60", _("within 60 days")), ("90", _("within 90 days")))


class SecondmentFilter(SeenChoicesMixin, FilterSet):
    """Secondments: state (State or Partner code), status (planned, active, ended), ending_before,
    field_operation, ``ending`` (ending soon: within 30, 60 or 90 days) and ``q`` (the person's name).

    On a page, the ``state`` and ``field_operation`` choices are those of the secondments the
    caller sees (a focal point: its own), so the list never names another State's secondees.
    """

    seen_model = Secondment
    limit_operations = True

    state = NominatorFilter(label=_("State or Partner"), max_length=4)
    status = django_filters.ChoiceFilter(
        field_name="current_status",
        choices=Secondment.Status.choices,
        label=_("Status"),
        empty_label=_("any"),
    )
    field_operation = django_filters.ModelChoiceFilter(
        queryset=FieldOperation.objects.all(),
        to_field_name="slug",
        label=_("Field operation"),
        empty_label=_("any"),
    )
    ending = django_filters.ChoiceFilter(
        choices=ENDING_CHOICES, label=_("Ending soon"), empty_label=_("any"), method="filter_ending"
    )
    ending_before = django_filters.DateFilter(
        field_name="end",
        lookup_expr="lte",
        label=_("Ending before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(method="filter_name", label=_("Name"), max_length=100)
    sort = SortFilter(
        {
            "end": (_("Ending soonest first"), ("end", "id")),
            "-end": (_("Ending latest first"), ("-end", "id")),
            "-start": (_("Newest first"), ("-start", "id")),
            "start": (_("Oldest first"), ("start", "id")),
            "name": (_("Name"), ("person__family_name", "person__given_name", "id")),
        }
    )

    class Meta:
        model = Secondment
        fields: list[str] = []

    def filter_ending(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.ending_within(int(value)) if value else queryset  # type: ignore[attr-defined]

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__given_name__icontains=value) | Q(person__family_name__icontains=value)
        )


class VacancyApiFilter(VacancyFilter, SyncFilterSet):
    """The API's vacancy filters: the page's, plus ``updated_since`` and ``ordering``; its form is
    built once per process (``static_form``: fixed querysets and choices, no facets)."""

    static_form = True

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
