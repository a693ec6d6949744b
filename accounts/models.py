"""Accounts: the State a focal point acts for, API tokens, and failed-login counters."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "osce_"


def hash_token(raw: str) -> str:
    """Tokens carry 256 bits of randomness, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class FocalPoint(models.Model):
    """Whom a focal point acts for: a participating State's national seconding authority, or a
    Partner for Co-operation's (exactly one of the two)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="focal_point"
    )
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("State"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
    )
    partner = models.ForeignKey(
        "states.Partner",
        verbose_name=_("Partner for Co-operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
    )

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=False, partner__isnull=True)
                | Q(state__isnull=True, partner__isnull=False),
                name="focal_point_state_xor_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.state_id or self.partner_id}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked__isnull=True).filter(Q(expires__isnull=True) | Q(expires__gt=now))


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, default="default")
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    hint = models.CharField(
        _("starts with"), max_length=12, editable=False, help_text=_("The first characters, to recognise it.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("A read-only token answers 403 to every write.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked is None and (self.expires is None or self.expires > timezone.now())


class LoginFailure(models.Model):
    """Failed logins for one username; past the limit the username is locked for a while.

    Counted per username, never by IP alone, so a distributed guesser gains nothing.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure = models.DateTimeField(_("last failure"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"


class Preference(models.Model):
    """A user's own settings: the language of the e-mails the portal sends them.

    Blank ``language`` means the portal's default (``settings.LANGUAGE_CODE``). Written only by
    ``accounts.services.preference_update``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(
        _("language of e-mails"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or settings.LANGUAGE_CODE}"


def languages_of(user_ids: list[int]) -> dict[int, str]:
    """``{user id: language}`` for the users who chose one (one query); others use LANGUAGE_CODE."""
    rows = Preference.objects.filter(user_id__in=user_ids).exclude(language="")
    return dict(rows.values_list("user_id", "language"))
