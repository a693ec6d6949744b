"""Forms of the states pages: they check the shape of the input; services enforce the rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from states import names
from states.models import Body
from states.services import MemberData


class DelegationForm(forms.Form):
    """A focal point's permanent mission: its head and the address in Vienna."""

    head_name = forms.CharField(label=_("Head of mission"), max_length=150, required=False)
    head_title = forms.CharField(
        label=_("Title of the head"),
        max_length=150,
        required=False,
        help_text=_("For example: Ambassador, Permanent Representative."),
    )
    address = forms.CharField(
        label=_("Address in Vienna"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MemberForm(forms.Form):
    """One diplomat of the mission; the bodies they follow are the choices given by the formset."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("For example: Counsellor, Deputy Head of Mission."),
    )
    bodies = forms.MultipleChoiceField(
        label=_("Bodies followed"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, bodies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bodies"].choices = bodies  # type: ignore[attr-defined]


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, bodies: Iterable[Body], **kwargs: Any) -> None:
        # The bodies are read once for every row (not once per row's field).
        choices = [(body.slug, body.name) for body in bodies]
        kwargs["form_kwargs"] = {**(kwargs.get("form_kwargs") or {}), "bodies": choices}
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this member")

    def members(self) -> list[MemberData]:
        """The list the service wants: the rows kept, in order; empty new rows and removed rows left out."""
        kept = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue  # an empty extra row
            if form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            kept.append(
                MemberData(
                    id=data.get("id"), name=data["name"], title=data.get("title", ""), bodies=data["bodies"]
                )
            )
        return kept


MemberFormSet: type[BaseMemberFormSet] = forms.formset_factory(  # type: ignore[assignment]
    MemberForm,
    formset=BaseMemberFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
    max_num=200,
    validate_max=True,
)
MEMBERS_PREFIX = "members"


class LocalNameChoiceIterator(forms.models.ModelChoiceIterator):
    """The States or Partners of the queryset, sorted by their names in the page's language."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in names.sorted_by_name(self.queryset):
            yield self.choice(obj)


class LocalNameChoiceField(forms.ModelChoiceField):
    """A State or a Partner, chosen by its name in the page's language (CONTRACT §4)."""

    iterator = LocalNameChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        return names.label(obj)
