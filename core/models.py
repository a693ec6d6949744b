"""What every app shares: the audit trail, date precision, the worker heartbeat, and the outboxes
of events and tasks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a date is known: a date known only to the month is stored as its first day."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class AuditEntry(models.Model):
    """One state change: who did what to which object, when and why.

    Written by services inside the same transaction as the change itself, so the trail can never
    disagree with the data. ``data`` holds facts (ids, statuses, dates), never candidates' personal
    data, so anonymisation leaves the history intact.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("object type"), max_length=64)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class Heartbeat(models.Model):
    """When a periodic process last ran (the Celery worker through beat); shown to the admin."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    at = models.DateTimeField(_("at"))
    count = models.PositiveBigIntegerField(_("beats"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"


class Event(models.Model):
    """A domain event (``vacancy.published``, ``election.created``, ...) written in the same
    transaction as the change it reports: an outbox, so no event is lost if Redis is down.

    Webhook delivery (a later issue) reads undelivered events and sends them. ``visible_to_state``
    (or ``visible_to_partner``) restricts an event about a nomination to the subscribers allowed to
    see it (HR and that State's or Partner's focal points).
    """

    name = models.CharField(_("event"), max_length=64, db_index=True)
    occurred = models.DateTimeField(_("occurred"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("data"), default=dict)
    visible_to_state = models.ForeignKey(
        "states.State",
        verbose_name=_("visible to State"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    visible_to_partner = models.ForeignKey(
        "states.Partner",
        verbose_name=_("visible to Partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    dispatched = models.DateTimeField(_("dispatched"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["occurred", "id"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.occurred:%Y-%m-%d %H:%M:%S}"


class PendingTask(models.Model):
    """A Celery task asked for by a change, written in the same transaction as the change: an
    outbox, so no task is lost when Redis is down.

    ``core.tasks.enqueue`` writes the row and sends the task once the transaction commits,
    deleting the row when the broker took it. A row left behind (the broker was down, the process
    died) is sent by ``core.tasks.relay_pending_tasks``: beat runs it every minute and every worker
    asks for it when it starts. Tasks are idempotent, so a task sent twice does no harm.
    """

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)!r}"


def related_model(model: type[models.Model], name: str) -> Any:
    """The model at the other end of ``model``'s relation ``name``: lets a queryset module prefetch
    a related model without importing the models module that imports it."""
    return model._meta.get_field(name).related_model
