"""Field operations of the OSCE, current and closed, and the extra-budgetary projects States fund."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import DatePrecision
from missions.querysets import FieldOperationQuerySet, ProjectQuerySet


class FieldOperation(models.Model):
    """A mission, presence, office, centre, programme office or project co-ordinator.

    Active during the half-open period ``established <= day < closed``; a rename is a new operation
    whose ``predecessor`` closed the day it started.
    """

    class Kind(models.TextChoices):
        MISSION = "mission", _("mission")
        PRESENCE = "presence", _("presence")
        OFFICE = "office", _("office")
        CENTRE = "centre", _("centre")
        PROGRAMME_OFFICE = "programme-office", _("programme office")
        PROJECT_CO_ORDINATOR = "project-co-ordinator", _("project co-ordinator")
        ASSISTANCE_GROUP = "assistance-group", _("assistance group")
        SPECIAL_MONITORING_MISSION = "special-monitoring-mission", _("special monitoring mission")
        OBSERVER_MISSION = "observer-mission", _("observer mission")
        VERIFICATION_MISSION = "verification-mission", _("verification mission")
        OTHER = "other", _("other")

    class Region(models.TextChoices):
        SOUTH_EASTERN_EUROPE = "south-eastern-europe", _("South-Eastern Europe")
        EASTERN_EUROPE = "eastern-europe", _("Eastern Europe")
        SOUTH_CAUCASUS = "south-caucasus", _("South Caucasus")
        CENTRAL_ASIA = "central-asia", _("Central Asia")
        BALTIC = "baltic", _("Baltic States")

    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=6,
        blank=True,
        help_text=_("Short code used in vacancy references, e.g. BAH for Bosnia and Herzegovina."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    host_state = models.ForeignKey(
        "states.State",
        verbose_name=_("host State"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_operations",
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    established = models.DateField(_("established"))
    established_precision = models.CharField(
        _("established precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    closed = models.DateField(_("closed"), null=True, blank=True, help_text=_("The first day out."))
    closed_precision = models.CharField(
        _("closed precision"), max_length=5, choices=DatePrecision.choices, blank=True, default=""
    )
    predecessor = models.OneToOneField(
        "self",
        verbose_name=_("predecessor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
    )
    decisions = models.JSONField(_("decisions"), default=list, blank=True)
    dimensions = models.ManyToManyField(
        "states.Dimension", verbose_name=_("dimensions"), blank=True, related_name="field_operations"
    )
    topics = models.ManyToManyField(
        "states.Topic", verbose_name=_("topics"), blank=True, related_name="field_operations"
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("sources"), max_length=200, blank=True)

    objects = FieldOperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("field operation")
        verbose_name_plural = _("field operations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed__gt=F("established")),
                name="field_operation_closed_after_established",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="field_operation_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(code="") | Q(code__regex=r"^[A-Z]{3,6}$"), name="field_operation_code_upper"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", kwargs={"slug": self.slug})

    def is_active(self, on: datetime.date | None = None) -> bool:
        """Active on day ``on`` (today by default): ``established <= on < closed``."""
        on = on or timezone.localdate()
        return self.established <= on and (self.closed is None or on < self.closed)

    @property
    def status(self) -> str:
        """``active`` or ``closed``, as of today."""
        return "active" if self.is_active() else "closed"

    def successor_or_none(self) -> FieldOperation | None:
        """The operation this one was renamed or converted into (reverse one-to-one, may be absent)."""
        try:
            return self.successor  # type: ignore[attr-defined,no-any-return]
        except FieldOperation.successor.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
            return None

    def current_head(self) -> HeadOfOperation | None:
        """The head in office today, from ``heads`` (prefetched on lists and detail pages)."""
        today = timezone.localdate()
        current = [head for head in self.heads.all() if head.is_current(today)]
        return max(current, key=lambda head: head.started) if current else None


class HeadOfOperation(models.Model):
    """Who heads a field operation, and for which period (half-open: started <= day < ended)."""

    operation = models.ForeignKey(
        FieldOperation, verbose_name=_("field operation"), on_delete=models.CASCADE, related_name="heads"
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(
        _("title"), max_length=150, blank=True, help_text=_("e.g. Head of Mission, Ambassador")
    )
    nationality = models.ForeignKey(
        "states.State",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started = models.DateField(_("started"))
    ended = models.DateField(_("ended"), null=True, blank=True, help_text=_("The first day out."))

    class Meta:
        verbose_name = _("head of operation")
        verbose_name_plural = _("heads of operation")
        ordering = ["operation", "-started"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gt=F("started")), name="head_ended_after_started"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.operation})"

    def is_current(self, on: datetime.date) -> bool:
        return self.started <= on and (self.ended is None or on < self.ended)


class MandateEvent(models.Model):
    """A step in an operation's mandate: establishment, renewal, change, extension or closure."""

    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", _("establishment")
        RENEWAL = "renewal", _("renewal")
        CHANGE = "change", _("change of mandate")
        RENAMING = "renaming", _("renaming or conversion")
        CLOSURE = "closure", _("closure")

    operation = models.ForeignKey(
        FieldOperation,
        verbose_name=_("field operation"),
        on_delete=models.CASCADE,
        related_name="mandate_events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    decision = models.CharField(_("decision"), max_length=60, blank=True, help_text=_("e.g. PC.DEC/1117"))
    until = models.DateField(_("mandate until"), null=True, blank=True, help_text=_("The first day out."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("mandate event")
        verbose_name_plural = _("mandate history")
        ordering = ["operation", "date", "id"]

    def __str__(self) -> str:
        return f"{self.operation}: {self.get_kind_display()} {self.date:%Y-%m-%d}"


class Figures(models.Model):
    """An operation's figures as of a date: offices, staff, and what it spends."""

    operation = models.ForeignKey(
        FieldOperation, verbose_name=_("field operation"), on_delete=models.CASCADE, related_name="figures"
    )
    as_of = models.DateField(_("as of"))
    offices = models.PositiveSmallIntegerField(_("offices"), null=True, blank=True)
    international_seconded = models.PositiveIntegerField(_("international staff, seconded"), default=0)
    international_contracted = models.PositiveIntegerField(_("international staff, contracted"), default=0)
    local_staff = models.PositiveIntegerField(_("local staff"), default=0)
    unified_budget_eur = models.DecimalField(
        _("Unified Budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    extra_budgetary_eur = models.DecimalField(
        _("extra-budgetary spending (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("figures")
        verbose_name_plural = _("figures")
        ordering = ["operation", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "as_of"], name="figures_one_per_operation_and_date"),
            models.CheckConstraint(
                condition=Q(unified_budget_eur__isnull=True) | Q(unified_budget_eur__gte=0),
                name="figures_unified_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(extra_budgetary_eur__isnull=True) | Q(extra_budgetary_eur__gte=0),
                name="figures_extra_budgetary_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation} @ {self.as_of:%Y-%m-%d}"

    @property
    def international_staff(self) -> int:
        return self.international_seconded + self.international_contracted

    @property
    def total_staff(self) -> int:
        return self.international_staff + self.local_staff


class Project(models.Model):
    """An extra-budgetary project submitted by a field operation or an institution, funded by pledges.

    Exactly one implementer: a field operation or a body (institution, Secretariat).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        ONGOING = "ongoing", _("ongoing")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    #: Statuses in which participating States may still pledge.
    PLEDGEABLE = (Status.SUBMITTED, Status.APPROVED, Status.ONGOING)

    title = models.CharField(_("title"), max_length=250)
    field_operation = models.ForeignKey(
        FieldOperation,
        verbose_name=_("field operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    body = models.ForeignKey(
        "states.Body",
        verbose_name=_("institution or body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    dimension = models.ForeignKey(
        "states.Dimension", verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="projects"
    )
    description = models.TextField(_("description"), blank=True)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True, help_text=_("The first day out."))
    is_demo = models.BooleanField(
        _("demo data"), default=False, db_index=True, help_text=_("Synthetic, made by generate_demo_data.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(field_operation__isnull=False) & Q(body__isnull=True))
                | (Q(field_operation__isnull=True) & Q(body__isnull=False)),
                name="project_exactly_one_implementer",
            ),
            models.CheckConstraint(condition=Q(budget_eur__gt=0), name="project_budget_positive"),
            models.CheckConstraint(
                condition=Q(starts__isnull=True) | Q(ends__isnull=True) | Q(ends__gt=F("starts")),
                name="project_ends_after_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("missions:project-detail", kwargs={"pk": self.pk})

    @property
    def implementer(self) -> FieldOperation | models.Model | None:
        return self.field_operation or self.body

    @property
    def implementer_slug(self) -> str | None:
        implementer = self.implementer
        return getattr(implementer, "slug", None)

    @property
    def pledged_eur(self) -> Decimal:
        """The sum of the pledges (from ``pledges``, prefetched on lists)."""
        return sum((pledge.amount_eur for pledge in self.pledges.all()), Decimal("0.00"))

    @property
    def received_eur(self) -> Decimal:
        return sum(
            (pledge.received_amount_eur or Decimal("0.00") for pledge in self.pledges.all()), Decimal("0.00")
        )

    @property
    def pledged_percent(self) -> int:
        """Pledged as a share of the budget, in whole percent (may exceed 100)."""
        if not self.budget_eur:
            return 0
        return int(self.pledged_eur * 100 / self.budget_eur)

    @property
    def is_pledgeable(self) -> bool:
        return self.status in self.PLEDGEABLE


class Pledge(models.Model):
    """Money a participating State pledges to a project; HR records when it is received."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="pledges"
    )
    state = models.ForeignKey(
        "states.State", verbose_name=_("State"), on_delete=models.PROTECT, related_name="pledges"
    )
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received = models.DateField(_("received on"), null=True, blank=True)
    received_amount_eur = models.DecimalField(
        _("amount received (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(
                condition=(Q(received__isnull=True) & Q(received_amount_eur__isnull=True))
                | (Q(received__isnull=False) & Q(received_amount_eur__gt=0)),
                name="pledge_receipt_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id}: {self.amount_eur} EUR → {self.project}"
