from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.services import DEFAULT_TOKEN_DAYS


class LoginForm(AuthenticationForm):
    """Django's login form, with a clear message when the username is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed logins for this username. It is locked for a while; try again later."),
    }

    def clean(self):  # type: ignore[no-untyped-def]
        # django.contrib.auth.authenticate() swallows the backend's PermissionDenied and answers
        # "no user"; the backend marks the request so the form can say why.
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_locked", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        initial="default",
        help_text=_("What the token is for, e.g. the system that uses it."),
    )
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        initial=DEFAULT_TOKEN_DAYS,
        help_text=_("A year unless you choose otherwise."),
    )
    no_expiry = forms.BooleanField(
        label=_("Never expires"), required=False, help_text=_("Overrides the number of days.")
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        help_text=_("The token reads what you may read and is refused (403) every write."),
    )

    def expiry_days(self) -> int | None:
        """The lifetime chosen: none when "never expires" is ticked, else the days (a year if empty)."""
        if self.cleaned_data.get("no_expiry"):
            return None
        return self.cleaned_data.get("expires_days") or DEFAULT_TOKEN_DAYS


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        required=False,
        choices=[("", _("The portal's default (English)")), *settings.LANGUAGES],
        help_text=_("The portal writes its e-mails to you in this language."),
    )
