"""What every app shares: the audit trail, date precision, the worker heartbeat, notifications,
and the outboxes of events and tasks."""

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


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """A person's own notifications; nobody sees another's."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)


class Notification(models.Model):
    """One notification the portal sent to one person: the e-mail, and its line on the person's
    notifications page.

    Written by ``core.mail.mail_send`` before the e-mail goes, in the same transaction: the unique
    key per recipient means a task that runs twice sends nothing twice, and a send that fails rolls
    the row back so the retry sends it. Only the subject is kept (in the recipient's language),
    never the body: bodies may name candidates, whose data is anonymised later.
    """

    key = models.CharField(_("key"), max_length=200)
    template = models.CharField(_("kind"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Blank: listed on the portal only."))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    sent = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "user"],
                condition=models.Q(user__isnull=False),
                name="notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["key", "email"],
                condition=models.Q(user__isnull=True),
                name="notification_once_per_address",
            ),
        ]

    def __str__(self) -> str:
        return self.key


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


class ResourceVersion(models.Model):
    """How many times a table has been written: the cheap validator of everything read from it.

    A statement-level trigger on every table of the domain apps (``core.versions``) gives the
    table's row a new number (from one sequence) in the same transaction as the write, whoever
    writes (a service, the admin, a reference load, a bulk COPY), so the version becomes visible
    exactly when the data does. API ETags and the per-process reference caches are keyed by these
    numbers, never by the rows.
    """

    name = models.CharField(_("table"), max_length=63, primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
