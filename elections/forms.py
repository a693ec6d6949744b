"""Page forms. They parse input; the service (the same one the API calls) enforces the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ObserverOfferForm(forms.Form):
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
