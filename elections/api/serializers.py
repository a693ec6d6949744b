"""API shapes of election observation (validation and shape only: writes call the services)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from elections.models import (
    Election,
    ObservationActivity,
    ObserverOffer,
    OfferedObserver,
    Recommendation,
    RecommendationAssessment,
    Report,
)


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


class AssessmentSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="activity_id", read_only=True, allow_null=True)

    class Meta:
        model = RecommendationAssessment
        fields = ["status", "assessed_on", "activity"]


class RecommendationSerializer(serializers.ModelSerializer):
    topic: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    report = serializers.IntegerField(source="report_id", read_only=True)
    status = serializers.ChoiceField(
        choices=Recommendation.Status.choices, read_only=True, help_text="The latest rating (see `history`)."
    )
    history = AssessmentSerializer(
        source="assessments",
        many=True,
        read_only=True,
        help_text="Every rating, oldest first; never overwritten.",
    )

    class Meta:
        model = Recommendation
        fields = ["id", "number", "text", "topic", "status", "history", "report"]


class ObservationActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:observation-activity-detail")
    election = serializers.IntegerField(source="election_id", read_only=True)
    state = serializers.CharField(source="election.state_id", read_only=True)
    lto_offered = serializers.IntegerField(read_only=True)
    sto_offered = serializers.IntegerField(read_only=True)
    reports = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()
    offers_open = serializers.SerializerMethodField()

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
            "offers_open",
            "recommended_deployment",
            "reports",
            "recommendations",
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
        from django.utils import timezone

        return activity.requests_observers and activity.offers_open(timezone.localdate())


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
            "is_demo",
            "observation",
        ]

    @extend_schema_field(ObservationActivitySerializer(allow_null=True))
    def get_observation(self, election: Election) -> dict[str, Any] | None:
        activity = election.observation
        if activity is None:
            return None
        return ObservationActivitySerializer(activity, context=self.context).data


class OfferedObserverSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2}$", max_length=2), required=False, default=list
    )

    class Meta:
        model = OfferedObserver
        fields = ["name", "role", "languages", "experience"]


class ObserverOfferSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:observer-offer-detail")
    activity = serializers.IntegerField(source="activity_id", read_only=True)
    state = serializers.CharField(source="state_id", read_only=True)
    observers = OfferedObserverSerializer(many=True, read_only=True)

    class Meta:
        model = ObserverOffer
        fields = ["url", "id", "activity", "state", "lto", "sto", "note", "observers", "offered"]


class ObserverOfferCreateSerializer(serializers.Serializer):
    """Input of an offer. Numbers are checked here for shape (whole numbers) and by the service for
    the rules (non-negative, at least one), so the page and the API give the same answers."""

    lto = serializers.IntegerField(default=0, help_text=_("Long-term observers offered (0 or more)."))
    sto = serializers.IntegerField(default=0, help_text=_("Short-term observers offered (0 or more)."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    observers = OfferedObserverSerializer(many=True, required=False, default=list)
