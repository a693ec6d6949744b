"""Forms of the secondment pages: they parse input; the services enforce the rules (the CV check
included: it is the service's, once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondments.models import Nomination, SavedSearch, Vacancy
from secondments.services import VACANCY_FIELDS
from states.models import Partner, State


class LanguagesField(forms.CharField):
    """Required languages as comma-separated ISO 639-1 codes (``en, ru``)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        codes = [code.strip().lower() for code in text.replace(";", ",").split(",") if code.strip()]
        for code in codes:
            if len(code) != 2 or not code.isalpha():
                raise forms.ValidationError(_("Give ISO 639-1 codes such as en, ru, separated by commas."))
        return codes


class VacancyForm(forms.ModelForm):
    languages = LanguagesField(
        label=_("Required languages"),
        required=False,
        help_text=_("ISO 639-1 codes, comma-separated: en, ru."),
    )

    class Meta:
        model = Vacancy
        fields = list(VACANCY_FIELDS)
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "tasks": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
            "remuneration": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_operation"].to_field_name = "slug"  # type: ignore[attr-defined]
        # As in the API, these follow from the post and the grade when left out (the service sets them).
        for name in ("duty_station", "appointment", "field_of_expertise"):
            self.fields[name].required = False
        self.fields["body"].to_field_name = "slug"  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea | forms.TextInput | forms.Select):
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_help")

    def _post_clean(self) -> None:
        # The service validates the model (and the rules around it); skip ModelForm's own
        # instance validation so a rule is checked in one place.
        pass


class ExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Nomination.Status.SHORTLISTED, Nomination.Status.SHORTLISTED.label),
            (Nomination.Status.SELECTED, Nomination.Status.SELECTED.label),
            (Nomination.Status.REJECTED, Nomination.Status.REJECTED.label),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    start = forms.DateField(
        label=_("Secondment start (when selecting)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class NominationForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    nationality: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Nationality"), queryset=None)  # type: ignore[arg-type]
    gender = forms.ChoiceField(label=_("Gender"), choices=Nomination.Gender.choices)
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    cv = forms.FileField(
        label=_("CV (PDF, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args: Any, nominator: State | Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nationality"]
        if isinstance(nominator, Partner):
            field.queryset = Partner.objects.filter(pk=nominator.pk)  # type: ignore[attr-defined]
        else:
            field.queryset = State.objects.order_by("name")  # type: ignore[attr-defined]
        self.initial.setdefault("nationality", nominator.pk)


class NominationUpdateForm(forms.Form):
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    cv = forms.FileField(
        label=_("Replace the CV (PDF, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
