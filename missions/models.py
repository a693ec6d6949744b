"""Field operations of the OSCE, current and closed."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import DatePrecision
from missions.querysets import FieldOperationQuerySet


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
        ]

    def __str__(self) -> str:
        return self.name
