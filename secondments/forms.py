"""Forms of the secondment pages: they validate input; the services enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondments.models import Nomination, SavedSearch, Vacancy
from secondments.services import CV_MAGIC, CV_MAX_BYTES, VACANCY_FIELDS


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


def validate_cv(upload: Any) -> Any:
    if upload is None:
        return upload
    if upload.size > CV_MAX_BYTES:
        raise forms.ValidationError(_("The CV must be a PDF of at most 5 MB."))
    head = upload.read(len(CV_MAGIC))
    upload.seek(0)
    if head != CV_MAGIC:
        raise forms.ValidationError(_("The CV must be a PDF file."))
    return upload


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from states.models import State

        super().__init__(*args, **kwargs)
        self.fields["nationality"].queryset = State.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_cv(self) -> Any:
        return validate_cv(self.cleaned_data.get("cv"))


class NominationUpdateForm(forms.Form):
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    cv = forms.FileField(label=_("Replace the CV (PDF, at most 5 MB)"), required=False)

    def clean_cv(self) -> Any:
        return validate_cv(self.cleaned_data.get("cv"))


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
