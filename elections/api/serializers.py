"""API shapes of election observation (validation and shape only: writes call the services)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from elections import policies
from elections.models import (
    Election,
    ObservationActivity,
    ObserverOffer,
    OfferedObserver,
    Recommendation,
    RecommendationAssessment,
    Report,
)
from states.models import State, Topic


class StateCodeField(serializers.SlugRelatedField):
    """A State by its code, in any case (``ge`` and ``GE`` are Georgia)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", State.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(data.strip().upper() if isinstance(data, str) else data)


class ReportSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField(
        help_text="The report: an outside link, or the portal's copy of the PDF."
    )

    class Meta:
        model = Report
        fields = ["id", "kind", "published", "title", "link"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_link(self, report: Report) -> str:
        if report.file:
            request = self.context.get("request")
            return reverse("elections:report-file", kwargs={"pk": report.pk}, request=request)
        return report.link


class ReportCreateSerializer(serializers.Serializer):
    """Multipart input of a report: the PDF in ``file`` (checked by its content), or a ``link``."""

    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    title = serializers.CharField(max_length=300)
    published = serializers.DateField()
    file = serializers.FileField(required=False, allow_empty_file=False, help_text="The report as a PDF.")
    link = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)


class AssessmentSerializer(serializers.ModelSerializer):
    assessed = serializers.DateField(source="assessed_on", read_only=True)
    activity = serializers.IntegerField(
        source="activity_id", read_only=True, allow_null=True, help_text="The activity that rated it, if any."
    )

    class Meta:
        model = RecommendationAssessment
        fields = ["status", "assessed", "note", "activity"]


class AssessmentCreateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Recommendation.Status.choices)
    assessed = serializers.DateField(help_text="The day of the assessment.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    activity = serializers.PrimaryKeyRelatedField(
        queryset=ObservationActivity.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The later activity that found it (optional).",
    )


class RecommendationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    activity = serializers.IntegerField(source="report.activity_id", read_only=True)
    report = serializers.IntegerField(source="report_id", read_only=True)
    topic: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    status = serializers.ChoiceField(
        choices=Recommendation.Status.choices,
        read_only=True,
        help_text="The latest assessment's status (by date).",
    )
    assessments = AssessmentSerializer(
        many=True, read_only=True, help_text="Every assessment, oldest first; none is ever overwritten."
    )

    class Meta:
        model = Recommendation
        fields = ["url", "id", "activity", "report", "number", "text", "topic", "status", "assessments"]


class RecommendationCreateSerializer(serializers.Serializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=ObservationActivity.objects.all(), help_text="The activity whose final report recommends it."
    )
    report = serializers.PrimaryKeyRelatedField(
        queryset=Report.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The final report (default: the activity's latest final report).",
    )
    text = serializers.CharField(max_length=4000)
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), required=False, allow_null=True, default=None
    )
    number = serializers.IntegerField(required=False, min_value=1, max_value=999, default=None)


class RecommendationUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, max_length=4000)
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), required=False, allow_null=True
    )
    number = serializers.IntegerField(required=False, min_value=1, max_value=999)


class ObservationActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:observation-activity-detail")
    election = serializers.IntegerField(source="election_id", read_only=True)
    state = serializers.CharField(source="election.state_id", read_only=True)
    lto_offered = serializers.IntegerField(read_only=True)
    sto_offered = serializers.IntegerField(read_only=True)
    lto_offers_until = serializers.DateField(
        source="lto_last_day",
        read_only=True,
        help_text="The last day LTOs are offered: the day before the deployment opens.",
    )
    sto_offers_until = serializers.DateField(
        source="sto_last_day",
        read_only=True,
        help_text="The last day STOs are offered: `sto_deadline`, else the day before election day.",
    )
    reports = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()
    offers_open = serializers.SerializerMethodField(help_text="Either offer window is open today.")
    lto_offers_open = serializers.SerializerMethodField()
    sto_offers_open = serializers.SerializerMethodField()

    class Meta:
        model = ObservationActivity
        fields = [
            "url",
            "id",
            "election",
            "state",
            "kind",
            "head",
            "opened",
            "closed",
            "core_team_size",
            "lto_requested",
            "sto_requested",
            "lto_offered",
            "sto_offered",
            "sto_deadline",
            "lto_offers_until",
            "sto_offers_until",
            "offers_open",
            "lto_offers_open",
            "sto_offers_open",
            "recommended_deployment",
            "note",
            "reports",
            "recommendations",
            "updated",
        ]

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, activity: ObservationActivity) -> Any:
        return ReportSerializer(activity.reports.all(), many=True, context=self.context).data

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_recommendations(self, activity: ObservationActivity) -> Any:
        recommendations = [rec for report in activity.reports.all() for rec in report.recommendations.all()]
        return RecommendationSerializer(recommendations, many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_offers_open(self, activity: ObservationActivity) -> bool:
        return activity.requests_observers and activity.offers_open(timezone.localdate())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_lto_offers_open(self, activity: ObservationActivity) -> bool:
        return activity.lto_requested > 0 and activity.lto_offers_open(timezone.localdate())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_sto_offers_open(self, activity: ObservationActivity) -> bool:
        return activity.sto_requested > 0 and activity.sto_offers_open(timezone.localdate())


class ActivityUpdateSerializer(serializers.Serializer):
    """What ODIHR changes on an activity (its election and kind stay)."""

    head = serializers.CharField(required=False, allow_blank=True, max_length=200)
    opened = serializers.DateField(required=False)
    closed = serializers.DateField(required=False, allow_null=True)
    core_team_size = serializers.IntegerField(required=False, min_value=0, max_value=1000)
    lto_requested = serializers.IntegerField(required=False, min_value=0, max_value=10_000)
    sto_requested = serializers.IntegerField(required=False, min_value=0, max_value=10_000)
    sto_deadline = serializers.DateField(required=False, allow_null=True)
    recommended_deployment = serializers.ChoiceField(
        required=False, allow_blank=True, choices=ObservationActivity.Deployment.choices
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ActivityCreateSerializer(ActivityUpdateSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all())
    kind = serializers.ChoiceField(choices=ObservationActivity.Kind.choices)
    opened = serializers.DateField(help_text="The first day of the deployment (LTO offers close after it).")


class ElectionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:election-detail")
    state = serializers.CharField(source="state_id", read_only=True)
    first_round = serializers.IntegerField(source="first_round_id", read_only=True, allow_null=True)
    observation = serializers.SerializerMethodField(
        help_text=(
            "The election's deployed activity (EOM, LEOM or EAM; at most one) if any, else its "
            "needs-assessment mission, else null."
        )
    )

    class Meta:
        model = Election
        fields = [
            "url",
            "id",
            "state",
            "kind",
            "date",
            "round",
            "first_round",
            "early",
            "note",
            "is_demo",
            "observation",
            "updated",
        ]

    @extend_schema_field(ObservationActivitySerializer(allow_null=True))
    def get_observation(self, election: Election) -> dict[str, Any] | None:
        activity = election.observation
        if activity is None:
            return None
        return ObservationActivitySerializer(activity, context=self.context).data


class ElectionWriteSerializer(serializers.Serializer):
    """Input of an election (POST: ``state``, ``kind`` and ``date`` required; PATCH: any)."""

    state = StateCodeField(help_text="The State's code, in any case.")
    kind = serializers.ChoiceField(choices=Election.Kind.choices)
    date = serializers.DateField(help_text="Election day.")
    round = serializers.IntegerField(required=False, min_value=1, max_value=9)
    first_round = serializers.PrimaryKeyRelatedField(
        queryset=Election.objects.all(), required=False, allow_null=True, help_text="Round 2 and later."
    )
    early = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class OfferedObserverSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2}$", max_length=2), required=False, default=list, max_length=20
    )

    class Meta:
        model = OfferedObserver
        fields = ["name", "role", "languages", "experience"]


class ObserverOfferSerializer(serializers.ModelSerializer):
    """An offer. ``observers`` (names, languages, experience) only to ODIHR and the offering State."""

    url = serializers.HyperlinkedIdentityField(view_name="api:observer-offer-detail")
    activity = serializers.IntegerField(source="activity_id", read_only=True)
    state = serializers.CharField(source="state_id", read_only=True)
    # Not read-only in form only: an output serializer, whose ``observers`` is absent for most
    # callers, so the schema must not list it as required (it would for a read-only field).
    observers = OfferedObserverSerializer(
        many=True,
        required=False,
        help_text="Named observers: shown to ODIHR and the offering State only (absent for anyone else).",
    )

    class Meta:
        model = ObserverOffer
        fields = ["url", "id", "activity", "state", "lto", "sto", "note", "observers", "offered", "changed"]

    def to_representation(self, instance: ObserverOffer) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not policies.named_observers_visible(request.user, instance):
            data.pop("observers", None)
        return data


class ObserverOfferCreateSerializer(serializers.Serializer):
    """Input of an offer. Numbers are checked here for shape (whole numbers) and by the service for
    the rules (non-negative, at least one), so the page and the API give the same answers."""

    lto = serializers.IntegerField(default=0, help_text=_("Long-term observers offered (0 or more)."))
    sto = serializers.IntegerField(default=0, help_text=_("Short-term observers offered (0 or more)."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    observers = OfferedObserverSerializer(many=True, required=False, default=list)


class ObserverOfferUpdateSerializer(serializers.Serializer):
    """A change of an offer: any of the numbers, the note, the named observers (replacing them)."""

    lto = serializers.IntegerField(required=False)
    sto = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    observers = OfferedObserverSerializer(many=True, required=False)
