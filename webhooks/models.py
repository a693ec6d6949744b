"""Webhooks: a user's subscription to domain events, and each delivery attempt's outcome."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventName(models.TextChoices):
    VACANCY_PUBLISHED = "vacancy.published", "vacancy.published"
    VACANCY_CLOSED = "vacancy.closed", "vacancy.closed"
    VACANCY_EXTENDED = "vacancy.extended", "vacancy.extended"
    NOMINATION_STATUS_CHANGED = "nomination.status_changed", "nomination.status_changed"
    ELECTION_CREATED = "election.created", "election.created"
    OBSERVATION_ACTIVITY_OPENED = "observation_activity.opened", "observation_activity.opened"
    REPORT_PUBLISHED = "report.published", "report.published"


class Webhook(models.Model):
    """A URL that receives the events its owner subscribed to, signed with the owner's secret.

    The secret is kept as given (it is needed to sign each delivery) and never shown again by the API.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="webhooks"
    )
    target = models.URLField(_("URL"), max_length=500)
    events = ArrayField(models.CharField(max_length=40, choices=EventName.choices), verbose_name=_("events"))
    secret = models.CharField(_("secret"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(events=[]), name="webhook_has_events"),
        ]

    def __str__(self) -> str:
        return f"{self.target} ({', '.join(self.events)})"


class Delivery(models.Model):
    """One event sent (or being sent) to one webhook; retried with backoff until it succeeds or gives up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "core.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_status = models.PositiveIntegerField(_("last response status"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="delivery_once_per_event")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.webhook_id}: {self.status}"
