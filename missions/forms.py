"""Forms of the missions pages: they check the shape of the input; services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PledgeForm(forms.Form):
    """A focal point's pledge. The amount stays text here: the service says what is wrong with it."""

    amount_eur = forms.CharField(
        label=_("Amount (EUR)"),
        max_length=40,
        help_text=_("A positive amount in euros, e.g. 25000 or 25000.50"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceiptForm(forms.Form):
    """HR records that a pledge's money arrived."""

    received = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    amount_eur = forms.CharField(
        label=_("Amount received (EUR)"),
        max_length=40,
        required=False,
        help_text=_("Leave empty if the full pledge arrived."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
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
