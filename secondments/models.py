"""The secondment cycle: vacancies, nominations by States, selection and one-year secondments.

Invariants the database keeps: a vacancy's reference is unique and never reused (a sequence), a
post belongs to a field operation or a body (never both), a candidate is nominated once to a
vacancy (case-insensitive e-mail), and never more nominations are selected than the vacancy has
posts (one ``SelectionSlot`` per selected nomination, ``1 <= slot <= posts``, unique per vacancy,
its ``posts`` tied to the vacancy's by a composite foreign key).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondments.querysets import SEARCH_CONFIGS, NominationQuerySet, SecondmentQuerySet, VacancyQuerySet

VIENNA = ZoneInfo("Europe/Vienna")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` plus ``years`` calendar years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class FieldOfExpertise(models.Model):
    """A field of expertise of a vacancy (``reference/fields_of_expertise.csv``)."""

    slug = models.SlugField(_("slug"), primary_key=True, max_length=80)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """Where a Partner for Co-operation receives alerts of S1/S2 vacancies open to Partners."""

    partner = models.ForeignKey(
        "states.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="secondment_contacts",
    )
    email = models.EmailField(_("e-mail"))

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        constraints = [models.UniqueConstraint(fields=["partner", "email"], name="partner_contact_unique")]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.email}"


class Vacancy(models.Model):
    """A vacancy notice: one or more posts at a field operation or a Secretariat/institution body.

    Lifecycle: draft → open → closed → filled, or cancelled. Nominations are accepted until
    23:59:59 Vienna time on ``deadline``. The reference (``VNBAHS00592``) is assigned on creation
    from a database sequence, so it is never reused.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        FILLED = "filled", _("filled")
        CANCELLED = "cancelled", _("cancelled")

    class Appointment(models.TextChoices):
        SECONDED = "seconded", _("seconded")
        CONTRACTED = "contracted", _("contracted")

    class Grade(models.TextChoices):
        S = "S", "S"
        S1 = "S1", "S1"
        S2 = "S2", "S2"
        S3 = "S3", "S3"
        DHOM = "DHoM", _("Deputy Head of Mission")
        HOM = "HoM", _("Head of Mission")
        P1 = "P1", "P1"
        P2 = "P2", "P2"
        P3 = "P3", "P3"
        P4 = "P4", "P4"
        P5 = "P5", "P5"
        D1 = "D1", "D1"
        D2 = "D2", "D2"
        G1 = "G1", "G1"
        G2 = "G2", "G2"
        G3 = "G3", "G3"
        G4 = "G4", "G4"
        G5 = "G5", "G5"
        G6 = "G6", "G6"
        G7 = "G7", "G7"
        NP1 = "NP1", "NP1"
        NP2 = "NP2", "NP2"
        NP3 = "NP3", "NP3"
        NP4 = "NP4", "NP4"

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")
        DE = "de", _("German")
        IT = "it", _("Italian")
        RU = "ru", _("Russian")
        ES = "es", _("Spanish")

    SECONDED_GRADES = ("S", "S1", "S2", "S3", "DHoM", "HoM")
    PARTNER_GRADES = ("S1", "S2")
    LOCAL_GRADE_PREFIXES = ("G", "NP")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    field_operation = models.ForeignKey(
        "missions.FieldOperation",
        verbose_name=_("field operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    body = models.ForeignKey(
        "states.Body",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
        help_text=_("For Secretariat and institution posts."),
    )
    duty_station = models.CharField(_("duty station"), max_length=120)
    appointment = models.CharField(_("appointment"), max_length=10, choices=Appointment.choices)
    grade = models.CharField(_("grade"), max_length=4, choices=Grade.choices)
    field_of_expertise = models.ForeignKey(
        FieldOfExpertise,
        verbose_name=_("field of expertise"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    dimension = models.ForeignKey(
        "states.Dimension", verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="vacancies"
    )
    posts = models.PositiveSmallIntegerField(_("number of posts"), default=1)
    notice_language = models.CharField(
        _("language of the notice"), max_length=2, choices=Language.choices, default=Language.EN
    )
    description = models.TextField(_("background"), blank=True)
    tasks = models.TextField(_("tasks and responsibilities"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=2), verbose_name=_("required languages"), default=list, blank=True
    )
    remuneration = models.TextField(_("remuneration"), blank=True)
    deadline = models.DateField(
        _("deadline"), help_text=_("Nominations close at 23:59 Vienna time that day.")
    )
    open_to_partners = models.BooleanField(_("open to Partners for Co-operation"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    closed = models.DateTimeField(_("closed"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(
        _("updated"), auto_now=True, db_index=True, help_text=_("Last change, for incremental sync.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        db_index=True,
        help_text=_("Synthetic, made by generate_demo_data, with its nominations and secondments."),
    )

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["deadline", "reference"]
        indexes = [
            GinIndex(fields=["search_vector"], name="vacancy_search_gin"),
            # The lists' default order, whole (HR) and by status (everyone else: open by default).
            # ``published`` included: with status and deadline it is every column an anonymous
            # reader's filter reads (``visible_to``), so a list's count is an index-only scan
            # (scale 100: 20,040 open vacancies counted in 2.8 ms instead of 30).
            models.Index(fields=["deadline", "reference"], name="vacancy_deadline_ref_idx"),
            models.Index(
                fields=["status", "deadline", "reference"],
                include=["published"],
                name="vacancy_status_deadline_inc",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(posts__gte=1), name="vacancy_posts_positive"),
            models.CheckConstraint(
                condition=(Q(field_operation__isnull=False) & Q(body__isnull=True))
                | (Q(field_operation__isnull=True) & Q(body__isnull=False)),
                name="vacancy_operation_xor_body",
            ),
            # A draft, or a draft that was cancelled, was never published (and stays private).
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"]) | Q(published__isnull=False),
                name="vacancy_published_unless_draft",
            ),
            # Target of the selection slots' composite foreign key (see SelectionSlot).
            models.UniqueConstraint(fields=["id", "posts"], name="vacancy_id_posts_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @staticmethod
    def closing_moment(deadline: datetime.date) -> datetime.datetime:
        """The last moment nominations are accepted: 23:59:59.999999 Vienna time on ``deadline``."""
        return datetime.datetime.combine(deadline, datetime.time.max, tzinfo=VIENNA)

    @classmethod
    def status_now(cls, status: str, deadline: datetime.date, now: datetime.datetime | None = None) -> str:
        """The status as the world sees it now: an open vacancy whose deadline has passed is closed,
        even before the scheduled task writes it down (nominations close by themselves)."""
        return cls.status_on(status, deadline, (now or timezone.now()).astimezone(VIENNA).date())

    @classmethod
    def status_on(cls, status: str, deadline: datetime.date, vienna_today: datetime.date) -> str:
        """``status_now`` for a moment given by its Vienna date, for many rows at once: the deadline
        has passed exactly when that date is later (the closing moment is the day's last instant)."""
        if status == cls.Status.OPEN and deadline < vienna_today:
            return cls.Status.CLOSED
        return status

    @property
    def closes_at(self) -> datetime.datetime:
        return self.closing_moment(self.deadline)

    def deadline_passed(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.closes_at

    @property
    def current_status(self) -> str:
        """``status_now`` of this vacancy."""
        return self.status_now(self.status, self.deadline)

    def get_current_status_display(self) -> str:
        return str(self.Status(self.current_status).label)

    @property
    def accepting_nominations(self) -> bool:
        return self.current_status == self.Status.OPEN

    @property
    def nominations_closed(self) -> bool:
        """Closed to nominations (deadline passed or closed early), so HR may decide."""
        return self.current_status in (self.Status.CLOSED, self.Status.FILLED)

    @property
    def was_published(self) -> bool:
        return self.published is not None

    @property
    def is_international(self) -> bool:
        """Seconded and professional posts are international; G and NP posts are local."""
        return not self.grade.startswith(self.LOCAL_GRADE_PREFIXES)

    @property
    def host_state_id(self) -> str | None:
        """The State hosting the duty station's field operation (None for Secretariat posts)."""
        return self.field_operation.host_state_id if self.field_operation is not None else None

    @property
    def search_config(self) -> str:
        return SEARCH_CONFIGS.get(self.notice_language, "english")

    @property
    def accepts_partners(self) -> bool:
        return self.open_to_partners and self.grade in self.PARTNER_GRADES


class DeadlineExtension(models.Model):
    """A recorded change of a vacancy's deadline (the extension rate is a statistic)."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous = models.DateField(_("previous deadline"))
    deadline = models.DateField(_("new deadline"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=F("previous")), name="extension_later_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.previous} → {self.deadline}"


def cv_upload_to(instance: Nomination, filename: str) -> str:
    """A random private file name: the candidate's name never appears in a path."""
    return f"cv/{instance.vacancy_id}/{secrets.token_hex(16)}.pdf"


class Nomination(models.Model):
    """A candidate nominated by a State's focal point to a vacancy, with its selection history.

    Transitions: submitted → shortlisted | rejected; shortlisted → selected | rejected;
    submitted | shortlisted → withdrawn (by the State). Not-selected candidates are anonymised
    12 months after the vacancy closes; the history keeps the facts.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SHORTLISTED = "shortlisted", _("shortlisted")
        REJECTED = "rejected", _("rejected")
        SELECTED = "selected", _("selected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("other")
        UNDISCLOSED = "undisclosed", _("undisclosed")

    OPEN_STATUSES = (Status.SUBMITTED, Status.SHORTLISTED)
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SUBMITTED: (Status.SHORTLISTED, Status.REJECTED, Status.WITHDRAWN),
        Status.SHORTLISTED: (Status.SELECTED, Status.REJECTED, Status.WITHDRAWN),
    }

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="nominations"
    )
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("nominating State"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    partner = models.ForeignKey(
        "states.Partner",
        verbose_name=_("nominating Partner for Co-operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    nationality = models.ForeignKey(
        "states.State",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A State's candidate; a Partner's candidate is a national of that Partner."),
    )
    gender = models.CharField(_("gender"), max_length=11, choices=Gender.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    cv = models.FileField(_("CV (PDF)"), upload_to=cv_upload_to, blank=True, max_length=200)
    status = models.CharField(_("status"), max_length=11, choices=Status.choices, default=Status.SUBMITTED)
    submitted = models.DateTimeField(_("submitted"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated = models.DateTimeField(
        _("updated"), auto_now=True, db_index=True, help_text=_("Last change, for incremental sync.")
    )
    anonymised = models.DateTimeField(_("anonymised"), null=True, blank=True)
    person = models.ForeignKey(
        "Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
        help_text=_("Set when the candidate is selected."),
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["submitted", "id"]
        constraints = [
            # Nominated by a State (its national) or by a Partner (its national: no State nationality).
            models.CheckConstraint(
                condition=Q(state__isnull=False, partner__isnull=True, nationality__isnull=False)
                | Q(state__isnull=True, partner__isnull=False, nationality__isnull=True),
                name="nomination_by_state_xor_partner",
            ),
            # Once per vacancy by one nominating State or Partner; another State may nominate the
            # same person (dual nationals) without learning of it.
            models.UniqueConstraint(
                Lower("email"),
                "vacancy",
                Coalesce("state", "partner"),
                condition=Q(anonymised__isnull=True),
                name="nomination_candidate_once_per_nominator",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "status"], name="nomination_vacancy_status_idx"),
            # The lists' order (newest first): HR's over the whole table, a State's over its own.
            models.Index(fields=["-submitted", "-id"], name="nomination_submitted_idx"),
            models.Index(fields=["state", "-submitted", "-id"], name="nomination_state_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.nominator_code} → {self.vacancy_id}"

    @property
    def candidate_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nominator_code(self) -> str:
        """The nominating State's code, or the Partner's."""
        return self.state_id or self.partner_id or ""

    @property
    def nominator(self) -> Any:
        """The nominating State, or the Partner."""
        return self.state or self.partner

    @property
    def nationality_code(self) -> str:
        """The candidate's nationality: a State's code, or the nominating Partner's."""
        return self.nationality_id or self.partner_id or ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def may_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class NominationChange(models.Model):
    """One step of a nomination's history: status, when, by whom and why."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(_("status"), max_length=11, choices=Nomination.Status.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("nomination change")
        verbose_name_plural = _("nomination changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.status}"


class SelectionSlot(models.Model):
    """One filled post of a vacancy. The database refuses more slots than posts.

    ``(vacancy, slot)`` is unique and ``1 <= slot <= posts``; ``(vacancy, posts)`` is a foreign key
    to the vacancy's ``(id, posts)`` (added in the migration, ON UPDATE CASCADE), so ``posts`` is
    always the vacancy's own number: two concurrent selections can't both take the last post.
    """

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="slots"
    )
    slot = models.PositiveSmallIntegerField(_("slot"))
    posts = models.PositiveSmallIntegerField(_("posts of the vacancy"))
    nomination = models.OneToOneField(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="slot"
    )

    class Meta:
        verbose_name = _("selection slot")
        verbose_name_plural = _("selection slots")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "slot"], name="selection_slot_unique"),
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=F("posts")), name="selection_slot_within_posts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy_id} #{self.slot}"


class Person(models.Model):
    """A seconded official across secondments: the record the service limits are counted on.

    Created when a candidate is first selected and found again by any of its known e-mail
    addresses (``PersonEmail``); it survives a change of address, and HR merges two records of one
    person (``person_merge``).
    """

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_name", "id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or f"#{self.pk}"


class PersonEmail(models.Model):
    """An e-mail address a person was nominated with; one address belongs to one person."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="emails"
    )
    email = models.EmailField(_("e-mail"))

    class Meta:
        verbose_name = _("e-mail of a person")
        verbose_name_plural = _("e-mails of persons")
        constraints = [models.UniqueConstraint(Lower("email"), name="person_email_unique")]

    def __str__(self) -> str:
        return self.email


class Secondment(models.Model):
    """A selected candidate's secondment: one year from ``start``, renewable one year at a time.

    Limits: 7 years in one field operation, 10 years of OSCE service in all, counted over the
    person's secondments (``Person``), at selection and at each renewal.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    MAX_YEARS_IN_OPERATION = 7
    MAX_YEARS_OF_SERVICE = 10

    nomination = models.OneToOneField(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="secondment"
    )
    state = models.ForeignKey(
        "states.State",
        verbose_name=_("seconding State"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    partner = models.ForeignKey(
        "states.Partner",
        verbose_name=_("seconding Partner for Co-operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("post"), on_delete=models.PROTECT, related_name="secondments"
    )
    field_operation = models.ForeignKey(
        "missions.FieldOperation",
        verbose_name=_("field operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="secondments"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(
        _("updated"), auto_now=True, db_index=True, help_text=_("Last change, for incremental sync.")
    )

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="secondment_end_after_start"),
            models.CheckConstraint(
                condition=Q(state__isnull=False, partner__isnull=True)
                | Q(state__isnull=True, partner__isnull=False),
                name="secondment_state_xor_partner",
            ),
        ]
        # The list's order (by end), whole (HR) and a State's own.
        indexes = [
            models.Index(fields=["end", "id"], name="secondment_end_idx"),
            models.Index(fields=["state", "end", "id"], name="secondment_state_end_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.vacancy_id} {self.start}–{self.end}"

    @property
    def seconding_code(self) -> str:
        return self.state_id or self.partner_id or ""

    @property
    def seconding(self) -> Any:
        """The seconding State, or the Partner."""
        return self.state or self.partner

    @property
    def years(self) -> int:
        """Years this secondment covers: the first year and each renewal."""
        return 1 + self.renewals

    def status_on(self, day: datetime.date) -> str:
        if day < self.start:
            return self.Status.PLANNED
        if day < self.end:
            return self.Status.ACTIVE
        return self.Status.ENDED


class SavedSearch(models.Model):
    """A user's saved vacancy search; new matching vacancies are e-mailed instantly or daily."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("instant")
        DAILY = "daily", _("daily digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="vacancy_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=7, choices=Frequency.choices, default=Frequency.DAILY
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CalendarToken(models.Model):
    """A per-user secret calendar address for a State's own deadlines; revocable.

    Only the SHA-256 of the token is stored; the address is shown once when created.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.created:%Y-%m-%d})"
