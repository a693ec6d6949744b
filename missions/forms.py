"""Forms of the missions pages: they check the shape of the input; services enforce the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import FieldOperation, Project
from states.models import Body, Dimension

if TYPE_CHECKING:  # a development dependency (django-stubs): for the annotations only
    from django_stubs_ext import StrOrPromise


def euros_field(label: StrOrPromise, help_text: StrOrPromise = "", required: bool = True) -> forms.CharField:
    """An amount in euros, kept as text: the service says what is wrong with it."""
    return forms.CharField(
        label=label,
        max_length=40,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class PledgeForm(forms.Form):
    """A focal point's pledge. The amount stays text here: the service says what is wrong with it."""

    amount_eur = euros_field(_("Amount (EUR)"), _("A positive amount in euros, e.g. 25000 or 25000.50"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceiptForm(forms.Form):
    """HR records that a pledge's money arrived."""

    received = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    amount_eur = euros_field(
        _("Amount received (EUR)"), _("Leave empty if the full pledge arrived."), required=False
    )


class FiguresForm(forms.Form):
    """HR records an operation's figures as of a date."""

    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    offices = forms.IntegerField(label=_("Offices"), min_value=0, max_value=1000, required=False)
    international_seconded = forms.IntegerField(
        label=_("International staff, seconded"), min_value=0, max_value=100000
    )
    international_contracted = forms.IntegerField(
        label=_("International staff, contracted"), min_value=0, max_value=100000
    )
    local_staff = forms.IntegerField(label=_("Local staff"), min_value=0, max_value=100000)
    unified_budget_eur = forms.DecimalField(
        label=_("Unified Budget (EUR)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    extra_budgetary_eur = forms.DecimalField(
        label=_("Extra-budgetary spending (EUR)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class ProjectForm(forms.Form):
    """HR creates or edits a project: implemented by a field operation or by an institution."""

    title = forms.CharField(label=_("Title"), max_length=250)
    field_operation = forms.ModelChoiceField(
        label=_("Field operation"),
        queryset=FieldOperation.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("none"),
        help_text=_("Either a field operation or an institution implements the project."),
    )
    body = forms.ModelChoiceField(
        label=_("Institution or body"),
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("none"),
    )
    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=Dimension.objects.all())
    budget_eur = euros_field(_("Budget (EUR)"), _("A positive amount in euros, e.g. 250000"))
    status = forms.ChoiceField(
        label=_("Status"), choices=Project.Status.choices, initial=Project.Status.SUBMITTED
    )
    starts = forms.DateField(
        label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(
        label=_("Ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day out."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
