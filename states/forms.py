"""Forms of the states pages: they check the shape of the input; services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
