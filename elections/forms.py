"""Page forms. They parse input; the service (the same one the API calls) enforces the rules."""

from __future__ import annotations

from typing import Any

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
