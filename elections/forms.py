"""Page forms. They parse input; the service (the same one the API calls) enforces the rules, so
a ModelForm here skips its own model validation (``_post_clean``): each rule is checked once."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation, Report
from elections.services import ACTIVITY_FIELDS
from states.forms import LocalNameChoiceField
from states.models import State, Topic


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that parses only: the service validates the model and the rules around it."""

    def _post_clean(self) -> None:
        pass


class ElectionForm(ServiceModelForm):
    state = LocalNameChoiceField(queryset=State.objects.all(), to_field_name="code", label=_("State"))

    class Meta:
        model = Election
        fields = ["state", "kind", "date", "round", "first_round", "early", "note"]
        widgets = {"date": _date_input(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "round": _("1 for a first round (or a single-round election), 2 for a run-off."),
            "first_round": _("For a second round: the election's first round."),
            "early": _("An early (snap) election; an early parliamentary election always is."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # First rounds of the last year and the years ahead (a run-off follows within weeks),
        # plus the one already linked.
        since = timezone.localdate() - datetime.timedelta(days=366)
        first_rounds = Election.objects.filter(round=1, date__gte=since)
        if self.instance.pk:
            first_rounds = first_rounds.exclude(pk=self.instance.pk)
            if self.instance.first_round_id:
                first_rounds = first_rounds | Election.objects.filter(pk=self.instance.first_round_id)
        field = self.fields["first_round"]
        field.queryset = first_rounds.select_related("state").order_by("-date", "id")  # type: ignore[attr-defined]
        field.empty_label = _("none (a first round)")  # type: ignore[attr-defined]


class ActivityForm(ServiceModelForm):
    class Meta:
        model = ObservationActivity
        fields = ["kind", *ACTIVITY_FIELDS]
        widgets = {
            "opened": _date_input(),
            "closed": _date_input(),
            "sto_deadline": _date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "opened": _(
                "The first day of the deployment. Long-term observers are offered until this day, "
                "that day included."
            ),
            "closed": _("The first day out; empty while the activity runs."),
            "sto_deadline": _(
                "The last day States offer short-term observers (that day included); empty: the day "
                "before election day."
            ),
            "recommended_deployment": _("A needs-assessment mission's recommendation."),
        }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    published = forms.DateField(label=_("Published"), widget=_date_input())
    file = forms.FileField(
        label=_("PDF"),
        required=False,
        help_text=_("The report as a PDF of at most 5 MB (checked by its content)."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    link = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the report is published, when you upload no PDF."),
    )


class RecommendationForm(ServiceModelForm):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.select_related("dimension"),
        to_field_name="slug",
        required=False,
        label=_("Topic"),
        empty_label=_("no topic"),
    )
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Its number in the final report; empty: the next one."),
    )

    class Meta:
        model = Recommendation
        fields = ["number", "text", "topic"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Recommendation.Status.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=_date_input())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObserverOfferForm(forms.Form):
    """An offer of the focal point's State; for a change, ``initial`` holds the offer as it is."""

    lto = forms.IntegerField(
        label=_("Long-term observers"),
        initial=0,
        help_text=_("How many long-term observers your State seconds."),
    )
    sto = forms.IntegerField(
        label=_("Short-term observers"),
        initial=0,
        help_text=_("How many short-term observers your State seconds."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    observers = forms.CharField(
        label=_("Named observers (optional)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One observer a line: name; lto or sto; languages (ISO 639-1 codes, comma-separated); "
            "experience. For example: Anna Huber; lto; de, ru; two EOMs in the South Caucasus"
        ),
    )

    field_order = ["lto", "sto", "observers", "note"]

    def clean_observers(self) -> list[dict[str, Any]]:
        """Parse the lines into the same shape the API takes; the service checks the rest."""
        observers: list[dict[str, Any]] = []
        for number, line in enumerate(self.cleaned_data["observers"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or not parts[0] or parts[1].lower() not in ("lto", "sto"):
                raise forms.ValidationError(
                    _("Line %(number)d: write the name, then lto or sto, separated by a semicolon."),
                    params={"number": number},
                )
            codes = parts[2] if len(parts) > 2 else ""
            observers.append(
                {
                    "name": parts[0],
                    "role": parts[1].lower(),
                    "languages": [code.strip().lower() for code in codes.split(",") if code.strip()],
                    "experience": ";".join(parts[3:]).strip(),
                }
            )
        return observers


def observers_text(offer: ObserverOffer) -> str:
    """An offer's named observers as the form's lines (``name; role; languages; experience``)."""
    lines = []
    for observer in offer.observers.all():
        parts = [observer.name, observer.role, ", ".join(observer.languages)]
        if observer.experience:
            parts.append(observer.experience)
        lines.append("; ".join(parts))
    return "\n".join(lines)
