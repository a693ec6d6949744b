"""Election observation (ODIHR): elections, observation activities, observers offered by States,
reports and the follow-up of their recommendations."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from elections.querysets import (
    ElectionQuerySet,
    ObservationActivityQuerySet,
    ObserverOfferQuerySet,
    RecommendationQuerySet,
)


class Election(models.Model):
    """An election (or referendum) in a participating State, on one day.

    A second round is its own election with ``round = 2`` and ``first_round`` pointing at round 1.
    ``early`` marks an early (snap) election; the kind ``early-parliamentary`` is always early.

    The election's **observation** is the activity ODIHR deployed for it (EOM, LEOM or EAM: at most
    one per election, a database constraint), else its needs-assessment mission (NAM), else nothing.
    """

    class Kind(models.TextChoices):
        PRESIDENTIAL = "presidential", _("presidential")
        PARLIAMENTARY = "parliamentary", _("parliamentary")
        EARLY_PARLIAMENTARY = "early-parliamentary", _("early parliamentary")
        LOCAL = "local", _("local")
        REFERENDUM = "referendum", _("referendum")

    state = models.ForeignKey(
        "states.State", verbose_name=_("State"), on_delete=models.PROTECT, related_name="elections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("election day"), db_index=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    first_round = models.ForeignKey(
        "self",
        verbose_name=_("first round"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="later_rounds",
    )
    early = models.BooleanField(_("early election"), default=False)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, db_index=True, help_text=_("Synthetic, made by generate_demo_data.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(
        _("updated"), auto_now=True, db_index=True, help_text=_("Last change, for incremental sync.")
    )

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1), name="election_round_positive"),
            models.CheckConstraint(
                condition=(Q(round=1) & Q(first_round__isnull=True))
                | (Q(round__gt=1) & Q(first_round__isnull=False)),
                name="election_later_round_links_first",
            ),
            models.UniqueConstraint(
                fields=["state", "kind", "date"],
                name="election_unique_state_kind_date",
                violation_error_message=_("This election is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.state_id} {self.get_kind_display()} {self.date.isoformat()}"
        if self.round > 1:
            label += f" (round {self.round})"
        return f"[DEMO] {label}" if self.is_demo else label

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.kind == self.Kind.EARLY_PARLIAMENTARY:
            self.early = True
        if self.round == 1 and self.first_round_id is not None:
            errors.setdefault("first_round", []).append(_("A first round links to no other round."))
        if self.round and self.round > 1:
            first = self.first_round
            if first is None:
                errors.setdefault("first_round", []).append(_("A later round must link to the first round."))
            elif first.pk == self.pk or first.round != 1:
                errors.setdefault("first_round", []).append(_("Link the election's first round."))
            elif first.state_id != self.state_id:
                errors.setdefault("first_round", []).append(_("The first round was held in another State."))
            elif self.date and first.date >= self.date:
                errors.setdefault("date", []).append(_("A later round comes after the first round."))
        if self.state_id and self.date:
            from states.models import State

            if not State.objects.participating(self.date).filter(pk=self.state_id).exists():
                errors.setdefault("state", []).append(_("The State does not participate on election day."))
        if errors:
            raise ValidationError(errors)

    @property
    def observation(self) -> ObservationActivity | None:
        """The deployed activity (EOM/LEOM/EAM) if any, else the NAM, else None.

        Reads the prefetched ``activities`` when present (list pages prefetch them).
        """
        activities = list(self.activities.all())
        deployed = [activity for activity in activities if activity.kind in ObservationActivity.DEPLOYED]
        if deployed:
            return deployed[0]
        nams = [activity for activity in activities if activity.kind == ObservationActivity.Kind.NAM]
        return nams[0] if nams else None

    @property
    def is_upcoming(self) -> bool:
        from django.utils import timezone

        return self.date >= timezone.localdate()


class ObservationActivity(models.Model):
    """What ODIHR sends for an election: a needs-assessment mission (NAM), then the deployed
    activity it recommended: an election observation mission (EOM), a limited one (LEOM) or an
    election assessment mission (EAM).

    Dates: ``opened`` is the first day of the deployment, ``closed`` the first day out (half-open,
    like every period in the portal), null while it runs. A NAM requests no observers.

    Two offer windows, each including its last day: long-term observers are offered until the
    deployment starts (``opened``), short-term observers until ``sto_deadline`` (when empty, the
    day before election day), since STOs deploy only around election day.
    """

    class Kind(models.TextChoices):
        NAM = "NAM", _("needs-assessment mission")
        EAM = "EAM", _("election assessment mission")
        LEOM = "LEOM", _("limited election observation mission")
        EOM = "EOM", _("election observation mission")

    class Deployment(models.TextChoices):
        """What a NAM recommends."""

        EOM = "EOM", _("an election observation mission")
        LEOM = "LEOM", _("a limited election observation mission")
        EAM = "EAM", _("an election assessment mission")
        NONE = "none", _("no deployment")

    DEPLOYED = (Kind.EOM, Kind.LEOM, Kind.EAM)

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    head = models.CharField(_("head of mission"), max_length=200, blank=True)
    opened = models.DateField(_("opened"))
    closed = models.DateField(_("closed"), null=True, blank=True, help_text=_("The first day out."))
    core_team_size = models.PositiveSmallIntegerField(_("core team size"), default=0)
    lto_requested = models.PositiveIntegerField(_("long-term observers requested"), default=0)
    sto_requested = models.PositiveIntegerField(_("short-term observers requested"), default=0)
    sto_deadline = models.DateField(
        _("short-term observers offered until"),
        null=True,
        blank=True,
        help_text=_("The last day States offer short-term observers; empty: the day before election day."),
    )
    offers_opened = models.DateTimeField(
        _("opened for offers"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the portal announced the request for observers (once)."),
    )
    recommended_deployment = models.CharField(
        _("recommended deployment"),
        max_length=4,
        choices=Deployment.choices,
        blank=True,
        help_text=_("A needs-assessment mission's recommendation."),
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(
        _("updated"), auto_now=True, db_index=True, help_text=_("Last change, for incremental sync.")
    )

    objects = ObservationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation activity")
        verbose_name_plural = _("observation activities")
        ordering = ["opened", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "kind"],
                name="activity_unique_kind_per_election",
                violation_error_message=_("The election already has an activity of this kind."),
            ),
            models.UniqueConstraint(
                fields=["election"],
                condition=~Q(kind="NAM"),
                name="activity_one_deployment_per_election",
                violation_error_message=_("The election already has its deployment (an EOM, LEOM or EAM)."),
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed__gt=F("opened")),
                name="activity_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=~Q(kind="NAM") | (Q(lto_requested=0) & Q(sto_requested=0)),
                name="activity_nam_requests_no_observers",
            ),
            models.CheckConstraint(
                condition=~Q(kind="NAM") | Q(sto_deadline__isnull=True),
                name="activity_nam_takes_no_sto_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.election}"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.kind == self.Kind.NAM and (self.lto_requested or self.sto_requested):
            errors.setdefault("lto_requested", []).append(
                _("A needs-assessment mission requests no observers.")
            )
        if self.kind != self.Kind.NAM and self.recommended_deployment:
            errors.setdefault("recommended_deployment", []).append(
                _("Only a needs-assessment mission recommends a deployment.")
            )
        if self.opened and self.closed and self.closed <= self.opened:
            errors.setdefault("closed", []).append(_("An activity closes after it opens."))
        if self.sto_deadline is not None:
            if self.kind == self.Kind.NAM:
                errors.setdefault("sto_deadline", []).append(
                    _("A needs-assessment mission takes no short-term observers.")
                )
            elif self.election_id and self.sto_deadline >= self.election.date:
                errors.setdefault("sto_deadline", []).append(
                    _("Short-term observers are offered before election day.")
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_deployment(self) -> bool:
        return self.kind in self.DEPLOYED

    @property
    def requests_observers(self) -> bool:
        return bool(self.lto_requested or self.sto_requested)

    @property
    def lto_last_day(self) -> datetime.date:
        """The last day long-term observers are offered: the day before the deployment starts (LTO
        numbers close when the activity opens, contract §6)."""
        return self.opened - datetime.timedelta(days=1)

    @property
    def sto_last_day(self) -> datetime.date:
        """The last day short-term observers are offered: ``sto_deadline``, else the day before
        election day."""
        if self.sto_deadline is not None:
            return self.sto_deadline
        return self.election.date - datetime.timedelta(days=1)

    def _running(self, on: datetime.date) -> bool:
        return self.kind != self.Kind.NAM and (self.closed is None or on < self.closed)

    def lto_offers_open(self, on: datetime.date) -> bool:
        """LTO offers are taken until the activity opens: up to the day before ``opened``."""
        return self._running(on) and on <= self.lto_last_day

    def sto_offers_open(self, on: datetime.date) -> bool:
        """STO offers are taken up to and including ``sto_last_day`` (and while the activity runs)."""
        return self._running(on) and on <= self.sto_last_day

    def window_open(self, role: str, on: datetime.date) -> bool:
        """``role`` is ``lto`` or ``sto``."""
        return self.lto_offers_open(on) if role == "lto" else self.sto_offers_open(on)

    def last_day(self, role: str) -> datetime.date:
        return self.lto_last_day if role == "lto" else self.sto_last_day

    def offers_open(self, on: datetime.date) -> bool:
        """Either window is open on ``on``."""
        return self.lto_offers_open(on) or self.sto_offers_open(on)


class ObserverOffer(models.Model):
    """Observers a participating State seconds to an activity, through its focal point.

    The host State may not offer; LTO numbers are taken (and changed) while the LTO window is open,
    STO numbers while the STO window is (``ObservationActivity.lto_offers_open``/``sto_offers_open``).
    A State may offer more than once; the activity's ``lto_offered``/``sto_offered`` are the sums.
    Named observers (optional) are seen by ODIHR and the offering State only.
    """

    activity = models.ForeignKey(
        ObservationActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="offers"
    )
    state = models.ForeignKey(
        "states.State", verbose_name=_("State"), on_delete=models.PROTECT, related_name="observer_offers"
    )
    lto = models.PositiveIntegerField(_("long-term observers"), default=0)
    sto = models.PositiveIntegerField(_("short-term observers"), default=0)
    note = models.TextField(_("note"), blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offered = models.DateTimeField(_("offered"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    objects = ObserverOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("observer offer")
        verbose_name_plural = _("observer offers")
        ordering = ["offered", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(lto__gt=0) | Q(sto__gt=0), name="offer_at_least_one_observer"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id}: {self.lto} LTO, {self.sto} STO → {self.activity}"


class OfferedObserver(models.Model):
    """A named observer within an offer (optional): role, languages and experience."""

    class Role(models.TextChoices):
        LTO = "lto", _("long-term observer")
        STO = "sto", _("short-term observer")

    offer = models.ForeignKey(
        ObserverOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="observers"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=3, choices=Role.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes."))
    experience = models.TextField(_("experience"), blank=True)

    class Meta:
        verbose_name = _("offered observer")
        verbose_name_plural = _("offered observers")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


def report_upload_to(instance: Report, filename: str) -> str:
    return f"elections/reports/{instance.activity_id}/{filename}"


class Report(models.Model):
    """A public report of an activity, as a link or an uploaded PDF.

    Needs-assessment reports belong to a NAM; interim reports, the statement of preliminary
    findings and the final report (with its recommendations) to the deployed activity.
    """

    class Kind(models.TextChoices):
        NEEDS_ASSESSMENT = "needs-assessment", _("needs-assessment report")
        INTERIM = "interim", _("interim report")
        PRELIMINARY = "preliminary", _("statement of preliminary findings")
        FINAL = "final", _("final report")

    activity = models.ForeignKey(
        ObservationActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    published = models.DateField(_("published"))
    title = models.CharField(_("title"), max_length=300)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("PDF"),
        upload_to=report_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["published", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(link="") | ~Q(file=""), name="report_link_or_file"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if not self.link and not self.file:
            errors.setdefault("link", []).append(_("Give a link or upload the PDF."))
        activity = self.activity if self.activity_id else None
        if activity is not None:
            is_nam = activity.kind == ObservationActivity.Kind.NAM
            if is_nam != (self.kind == self.Kind.NEEDS_ASSESSMENT):
                errors.setdefault("kind", []).append(
                    _("A needs-assessment mission publishes the needs-assessment report, and only it.")
                )
        if errors:
            raise ValidationError(errors)


class Recommendation(models.Model):
    """A recommendation of a final report, on a topic.

    ``status`` is the latest rating (``RecommendationAssessment``), kept here so lists can filter on
    it; the ratings themselves are never overwritten: each is a row of the history.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        NOT_IMPLEMENTED = "not-implemented", _("not implemented")
        PARTIALLY = "partially", _("partially implemented")
        MOSTLY = "mostly", _("mostly implemented")
        FULLY = "fully", _("fully implemented")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("text"))
    topic = models.ForeignKey(
        "states.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="election_recommendations",
    )
    status = models.CharField(
        _("current status"), max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["report", "number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def clean(self) -> None:
        if self.report_id and self.report.kind != Report.Kind.FINAL:
            raise ValidationError({"report": [_("Recommendations come from a final report.")]})


class RecommendationAssessment(models.Model):
    """One rating of how far a recommendation was implemented, as found at a later activity.

    Rows are only ever added: the history of a recommendation's status.
    """

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="assessments"
    )
    status = models.CharField(_("status"), max_length=16, choices=Recommendation.Status.choices)
    assessed_on = models.DateField(_("assessed on"))
    activity = models.ForeignKey(
        ObservationActivity,
        verbose_name=_("rated at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments_made",
    )
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation assessment")
        verbose_name_plural = _("recommendation assessments")
        ordering = ["assessed_on", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.status} ({self.assessed_on})"
