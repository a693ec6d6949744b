"""The organisation: participating States over time, partners, dimensions, bodies, chairpersonships."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import DatePrecision
from states.querysets import DelegationQuerySet, StateQuerySet


class State(models.Model):
    """A participating State, today's or a former one.

    ``code`` is ISO 3166-1 alpha-2 for today's participants and the ISO 3166-3 four-letter code for
    former ones (``SUHH``, ``DDDE``, ``CSHH``, ``YUCS``, ``CSXX``): alpha-2 ``CS`` was used twice,
    so alpha-2 alone never keys a State across history. Participation is the half-open period
    ``joined <= day < left``.
    """

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    iso_alpha3 = models.CharField(_("ISO alpha-3"), max_length=3)
    joined = models.DateField(_("joined"))
    joined_precision = models.CharField(
        _("joined precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    left = models.DateField(_("left"), null=True, blank=True, help_text=_("The first day out."))
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("sources"), max_length=200, blank=True)

    objects = StateQuerySet.as_manager()

    class Meta:
        verbose_name = _("participating State")
        verbose_name_plural = _("participating States")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gt=F("joined")), name="state_left_after_joined"
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}([A-Z]{2})?$"), name="state_code_upper"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def participates_on(self, day: datetime.date) -> bool:
        """Whether the State participates on ``day`` (half-open period, as the queryset method)."""
        return self.joined <= day and (self.left is None or day < self.left)

    @property
    def participating(self) -> bool:
        """Whether the State participates today."""
        return self.participates_on(timezone.localdate())


class Partner(models.Model):
    """A Partner for Co-operation (Asian or Mediterranean): takes part without participating."""

    class Group(models.TextChoices):
        ASIAN = "asian", _("Asian")
        MEDITERRANEAN = "mediterranean", _("Mediterranean")

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=13, choices=Group.choices)
    since = models.PositiveSmallIntegerField(_("partner since"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("sources"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Partner for Co-operation")
        verbose_name_plural = _("Partners for Co-operation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    """One of the three dimensions of comprehensive security."""

    slug = models.SlugField(_("slug"), primary_key=True, max_length=40)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """An activity area within a dimension (policing, border management, elections, ...)."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=120)
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="topics"
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["dimension__order", "name"]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A decision-making body, committee, forum, institution, the Secretariat or the Assembly."""

    class Kind(models.TextChoices):
        DECISION_MAKING = "decision-making", _("decision-making body")
        COMMITTEE = "committee", _("committee")
        FORUM = "forum", _("forum")
        INSTITUTION = "institution", _("institution")
        SECRETARIAT = "secretariat", _("secretariat")
        PARLIAMENTARY = "parliamentary", _("parliamentary")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    seat = models.CharField(_("seat"), max_length=80, blank=True)
    established = models.PositiveSmallIntegerField(_("established (year)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("sources"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Chairpersonship(models.Model):
    """The participating State that chairs the organisation in a year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.ForeignKey(
        State, verbose_name=_("State"), on_delete=models.PROTECT, related_name="chairpersonships"
    )
    source = models.CharField(_("sources"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("chairpersonship")
        verbose_name_plural = _("chairpersonships")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.state_id}"


class Delegation(models.Model):
    """A participating State's Permanent Mission to the OSCE in Vienna.

    Headed by a Permanent Representative; its diplomats each follow some of the bodies. The reference
    loader creates one empty mission per participating State; the State's focal point enters the
    head, the address and the diplomats on ``/states/<code>/delegation/`` (``delegation_update``);
    staff may correct them in the admin. No real diplomats' names ship with the project.
    """

    state = models.OneToOneField(
        State, verbose_name=_("State"), on_delete=models.CASCADE, related_name="delegation"
    )
    head_name = models.CharField(_("head of mission"), max_length=150, blank=True)
    head_title = models.CharField(
        _("title of the head"),
        max_length=150,
        blank=True,
        help_text=_("For example: Ambassador, Permanent Representative."),
    )
    address = models.TextField(_("address in Vienna"), blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("permanent mission")
        verbose_name_plural = _("permanent missions")
        ordering = ["state__name"]

    def __str__(self) -> str:
        return str(_("Permanent Mission of %(state)s") % {"state": self.state_id})


class Diplomat(models.Model):
    """A member of a permanent mission and the bodies they follow."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("permanent mission"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    bodies = models.ManyToManyField(
        Body, verbose_name=_("bodies followed"), blank=True, related_name="diplomats"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("diplomat")
        verbose_name_plural = _("diplomats")
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name
