"""Forms of the secondment pages: they parse input; the services enforce the rules (the CV check
included: it is the service's, once)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondments.models import Nomination, SavedSearch, Vacancy
from secondments.services import VACANCY_FIELDS
from states import names
from states.forms import LocalNameChoiceField
from states.models import Partner, State


class LanguagesField(forms.MultipleChoiceField):
    """Required languages, ISO 639-1 codes, chosen by their names in the page's language.

    Also takes the codes comma-separated in one value (``en, ru``), as the API's clients and older
    forms send them. Any two-letter code is taken, as the service does; a code CLDR does not name
    (a vacancy's own, from the API) stays among the choices, so editing never loses it.
    """

    widget = forms.SelectMultiple(attrs={"size": 10})

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        codes = [
            code.strip().lower()
            for item in value or ()
            for code in str(item).replace(";", ",").split(",")
            if code.strip()
        ]
        for code in codes:
            if len(code) != 2 or not code.isalpha():
                raise forms.ValidationError(_("Give ISO 639-1 codes such as en, ru, separated by commas."))
        return list(dict.fromkeys(codes))

    def validate(self, value: Any) -> None:
        # The shape is checked in to_python; the choices are the options shown, not a limit.
        forms.Field.validate(self, value)

    def localise(self, current: Iterable[str] = ()) -> None:
        """The options, named in the active language and sorted by those names (at each form)."""
        given = {code.strip().lower() for item in current for code in str(item).split(",")}
        codes = set(names.iso_639_1_codes()) | {code for code in given if len(code) == 2}
        self.choices = names.language_choices(codes)


class VacancyForm(forms.ModelForm):
    languages = LanguagesField(
        label=_("Required languages"),
        required=False,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."),
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
        # Languages by their names in the page's language, sorted by those names (CONTRACT §4).
        self.fields["notice_language"].choices = names.language_choices(Vacancy.Language.values)  # type: ignore[attr-defined]
        current = list(self.initial.get("languages") or self.instance.languages or [])
        if self.is_bound and hasattr(self.data, "getlist"):
            current += self.data.getlist(self.add_prefix("languages"))
        self.fields["languages"].localise(current)  # type: ignore[attr-defined]

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
    nationality = LocalNameChoiceField(label=_("Nationality"), queryset=State.objects.none())
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
            field.queryset = State.objects.all()  # type: ignore[attr-defined]  # sorted by local name
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
