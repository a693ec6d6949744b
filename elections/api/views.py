"""API of election observation: elections, observation activities (with their observer offers and
reports), observer offers, recommendations (with their assessments).

Thin adapters: parse and validate the shape (serializers), call the service, render. Who may act
is the services' policies (``elections.policies``), asked first through ``PolicyMixin`` so a caller
without the right gets 401/403/404 before its body is read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import FieldSelectionMixin, PolicyMixin
from core.formats import JSONParser
from elections import policies, services
from elections.api.serializers import (
    ActivityCreateSerializer,
    ActivityUpdateSerializer,
    AssessmentCreateSerializer,
    ElectionSerializer,
    ElectionWriteSerializer,
    ObservationActivitySerializer,
    ObserverOfferCreateSerializer,
    ObserverOfferSerializer,
    ObserverOfferUpdateSerializer,
    RecommendationCreateSerializer,
    RecommendationSerializer,
    RecommendationUpdateSerializer,
    ReportCreateSerializer,
    ReportSerializer,
)
from elections.filters import ElectionApiFilter, ObservationActivityApiFilter, RecommendationFilter
from elections.models import Election, ObservationActivity, ObserverOffer, OfferedObserver, Recommendation

ELECTION_EXAMPLE = {
    "url": "https://portal.example/api/v1/elections/12/",
    "id": 12,
    "state": "GE",
    "kind": "parliamentary",
    "date": "2028-10-29",
    "round": 1,
    "first_round": None,
    "early": False,
    "note": "",
    "is_demo": False,
    "observation": {
        "url": "https://portal.example/api/v1/observation-activities/31/",
        "id": 31,
        "election": 12,
        "state": "GE",
        "kind": "EOM",
        "head": "Ambassador A. Example",
        "opened": "2028-09-20",
        "closed": None,
        "core_team_size": 13,
        "lto_requested": 30,
        "sto_requested": 350,
        "lto_offered": 24,
        "sto_offered": 210,
        "sto_deadline": "2028-10-14",
        "lto_offers_until": "2028-09-19",
        "sto_offers_until": "2028-10-14",
        "offers_open": True,
        "lto_offers_open": True,
        "sto_offers_open": True,
        "recommended_deployment": "",
        "note": "",
        "reports": [
            {
                "id": 7,
                "kind": "interim",
                "published": "2028-10-10",
                "title": "Interim Report 1",
                "link": "https://www.osce.org/odihr/elections/example",
            }
        ],
        "recommendations": [],
        "updated": "2028-10-10T14:02:11+02:00",
    },
    "updated": "2028-09-18T09:30:00+02:00",
}

OFFER_EXAMPLE = {
    "url": "https://portal.example/api/v1/observer-offers/5/",
    "id": 5,
    "activity": 31,
    "state": "AT",
    "lto": 2,
    "sto": 10,
    "note": "",
    "observers": [{"name": "Jana Example", "role": "lto", "languages": ["de", "ru"], "experience": "3 EOMs"}],
    "offered": "2028-09-01T10:00:00+02:00",
    "changed": "2028-09-01T10:00:00+02:00",
}

RECOMMENDATION_EXAMPLE = {
    "url": "https://portal.example/api/v1/recommendations/88/",
    "id": 88,
    "activity": 31,
    "report": 9,
    "number": 4,
    "text": "Publish results by polling station, promptly and in a machine-readable format.",
    "topic": "elections",
    "status": "partially",
    "assessments": [
        {"status": "pending", "assessed": "2029-01-20", "note": "", "activity": None},
        {"status": "partially", "assessed": "2031-09-02", "note": "Published, with delays.", "activity": 40},
    ],
}

REFUSALS = {
    401: OpenApiResponse(description="No credentials"),
    403: OpenApiResponse(description="Credentials without the right"),
    404: OpenApiResponse(description="Not there for this caller"),
}
WINDOWS = (
    "LTO numbers are taken until the activity opens (its first day included), STO numbers until its "
    "`sto_deadline` (when null, the day before election day), that day included."
)


class WriteViewSet(FieldSelectionMixin, PolicyMixin, viewsets.GenericViewSet):
    """GET, POST and PATCH (no PUT): the contract's writes."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


@extend_schema_view(
    list=extend_schema(
        summary="Elections",
        description="Elections in participating States, each with its observation (see `observation`).",
        examples=[OpenApiExample("An election with its EOM", value=ELECTION_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="An election",
        examples=[OpenApiExample("An election with its EOM", value=ELECTION_EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        summary="Record an election (ODIHR)",
        request=ElectionWriteSerializer,
        responses={201: ElectionSerializer, 400: OpenApiResponse(description="Invalid election"), **REFUSALS},
        examples=[
            OpenApiExample(
                "A presidential election",
                request_only=True,
                value={"state": "GE", "kind": "presidential", "date": "2028-10-29"},
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Edit an election (ODIHR)",
        request=ElectionWriteSerializer,
        responses={200: ElectionSerializer, 400: OpenApiResponse(description="Invalid change"), **REFUSALS},
    ),
)
class ElectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WriteViewSet):
    """Elections (public); ODIHR records and edits them."""

    serializer_class = ElectionSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ElectionApiFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_policies = {"create": policies.election_manage}
    object_policies = {"partial_update": policies.election_manage}

    def get_queryset(self) -> QuerySet[Election]:
        # 1 count + 1 page of elections (with their State) + 4 prefetches: activities (offered sums
        # annotated), reports, recommendations, their assessments. Constant for any page size.
        return Election.objects.visible_to(self.request.user).with_observation().order_by("date", "id")

    def _respond(self, election: Election, code: int = status.HTTP_200_OK) -> Response:
        election = self.get_queryset().get(pk=election.pk)
        return Response(ElectionSerializer(election, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ElectionWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        election = services.election_create(actor=request.user, **given.validated_data)
        return self._respond(election, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        election = self.get_object()
        given = ElectionWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        return self._respond(
            services.election_update(actor=request.user, election=election, **given.validated_data)
        )


@extend_schema_view(
    list=extend_schema(summary="Observation activities"),
    retrieve=extend_schema(summary="An observation activity"),
    create=extend_schema(
        summary="Record an observation activity (ODIHR)",
        description="A NAM, or the election's one deployment (EOM, LEOM, EAM). " + WINDOWS,
        request=ActivityCreateSerializer,
        responses={
            201: ObservationActivitySerializer,
            400: OpenApiResponse(description="Invalid"),
            **REFUSALS,
        },
        examples=[
            OpenApiExample(
                "An EOM",
                request_only=True,
                value={
                    "election": 12,
                    "kind": "EOM",
                    "head": "Ambassador A. Example",
                    "opened": "2028-09-20",
                    "core_team_size": 13,
                    "lto_requested": 30,
                    "sto_requested": 350,
                    "sto_deadline": "2028-10-14",
                },
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Edit an observation activity (ODIHR)",
        request=ActivityUpdateSerializer,
        responses={
            200: ObservationActivitySerializer,
            400: OpenApiResponse(description="Invalid"),
            **REFUSALS,
        },
    ),
)
class ObservationActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WriteViewSet):
    """NAMs and deployed activities (public), with observers requested and offered (sums of all
    States' offers), reports and recommendations. ODIHR records and edits them."""

    upload_actions = frozenset({"reports"})  # a report's PDF: the upload limit (core.middleware)

    serializer_class = ObservationActivitySerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ObservationActivityApiFilter
    field_selection_actions = ("list", "retrieve", "observer_offers")
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_policies = {"create": policies.activity_manage, "reports": policies.report_publish}
    object_policies = {"partial_update": policies.activity_manage}

    def get_queryset(self) -> QuerySet[ObservationActivity]:
        return (
            ObservationActivity.objects.visible_to(self.request.user).with_details().order_by("opened", "id")
        )

    def _respond(self, activity: ObservationActivity, code: int = status.HTTP_200_OK) -> Response:
        activity = self.get_queryset().get(pk=activity.pk)
        data = ObservationActivitySerializer(activity, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ActivityCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        activity = services.activity_create(
            actor=request.user,
            election=data.pop("election"),
            kind=data.pop("kind"),
            opened=data.pop("opened"),
            **data,
        )
        return self._respond(activity, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        given = ActivityUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        return self._respond(
            services.activity_update(actor=request.user, activity=activity, **given.validated_data)
        )

    def _activity(self, pk: str | None) -> ObservationActivity:
        return get_object_or_404(
            ObservationActivity.objects.visible_to(self.request.user).select_related("election"), pk=pk
        )

    @extend_schema(
        methods=["GET"],
        summary="Observers offered to an activity",
        description=(
            "HR and ODIHR see every State's offers; a focal point its own State's only. Named observers "
            "only to ODIHR and the offering State."
        ),
        responses={200: ObserverOfferSerializer(many=True), **REFUSALS},
        examples=[OpenApiExample("An offer", value=OFFER_EXAMPLE, response_only=True)],
    )
    @extend_schema(
        methods=["POST"],
        summary="Offer observers (a participating State's focal point)",
        description=(
            "The caller's State offers long-term and short-term observers. " + WINDOWS + " 400: negative "
            "numbers, nothing offered, the host State offering, a NAM. 409: a window closed."
        ),
        request=ObserverOfferCreateSerializer,
        responses={
            201: ObserverOfferSerializer,
            400: OpenApiResponse(
                description="Invalid offer (host State, negative numbers, nothing offered)."
            ),
            409: OpenApiResponse(description="The window of the numbers offered has closed."),
            **REFUSALS,
        },
        examples=[
            OpenApiExample("Offer", value={"lto": 2, "sto": 10}, request_only=True),
            OpenApiExample("Created", value=OFFER_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="observer-offers",
        filterset_class=None,
        serializer_class=ObserverOfferSerializer,
    )
    def observer_offers(self, request: Request, pk: str | None = None) -> Response:
        if request.method == "POST":
            activity = self._activity(pk)
            policies.offer_create(request.user, activity)  # before the body is read
            given = ObserverOfferCreateSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            offer = services.observer_offer_create(
                actor=request.user, activity=activity, **given.validated_data
            )
            offer = ObserverOffer.objects.prefetch_related("observers").get(pk=offer.pk)
            data = ObserverOfferSerializer(offer, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_201_CREATED)
        policies.offers_read(request.user)
        activity = self._activity(pk)
        offers = (
            ObserverOffer.objects.visible_to(request.user)
            .filter(activity=activity)
            .prefetch_related(Prefetch("observers", queryset=OfferedObserver.objects.order_by("id")))
            .order_by("offered", "id")
        )
        page = self.paginate_queryset(offers)
        serializer = self.get_serializer(page, many=True)  # the action's ObserverOfferSerializer
        return self.get_paginated_response(self.select_fields(serializer).data)

    @extend_schema(
        summary="Publish a report (ODIHR)",
        description=(
            "Multipart `{kind, title, published, file}`: the PDF is checked by its content (a file that is "
            "not a readable PDF answers 400), at most 5 MB. A `link` may stand in for the file."
        ),
        request={"multipart/form-data": ReportCreateSerializer},
        responses={
            201: ReportSerializer,
            400: OpenApiResponse(description="Not a PDF, wrong kind"),
            **REFUSALS,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reports",
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        serializer_class=ReportSerializer,  # the answer's (and ``?fields=``'s) fields
    )
    def reports(self, request: Request, pk: str | None = None) -> Response:
        activity = self._activity(pk)
        given = ReportCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        report = services.report_add(actor=request.user, activity=activity, **given.validated_data)
        data = ReportSerializer(report, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Observer offers",
        description="HR and ODIHR: every offer; a focal point: its State's.",
        responses={200: ObserverOfferSerializer(many=True), **REFUSALS},
    ),
    retrieve=extend_schema(summary="An observer offer", responses={200: ObserverOfferSerializer, **REFUSALS}),
    partial_update=extend_schema(
        summary="Change an offer (the offering State's focal point)",
        description=WINDOWS + " A change of the LTOs needs the LTO window open, of the STOs the STO window; "
        "409 after. `observers` replaces the named observers.",
        request=ObserverOfferUpdateSerializer,
        responses={
            200: ObserverOfferSerializer,
            400: OpenApiResponse(description="Bad numbers, nothing left"),
            409: OpenApiResponse(description="The window closed"),
            **REFUSALS,
        },
        examples=[OpenApiExample("More STOs", value={"sto": 14}, request_only=True)],
    ),
    destroy=extend_schema(
        summary="Withdraw an offer (the offering State's focal point)",
        description="While the window of each of its numbers is open; 409 after.",
        responses={204: None, 409: OpenApiResponse(description="A window closed"), **REFUSALS},
    ),
)
class ObserverOfferViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WriteViewSet
):
    """Offers of observers: HR and ODIHR see all; a focal point its own State's (another State's:
    404), and changes or withdraws them while the windows are open."""

    serializer_class = ObserverOfferSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = None
    http_method_names = ["get", "patch", "delete", "head", "options"]
    action_policies = {
        name: policies.offers_read for name in ("list", "retrieve", "partial_update", "destroy")
    }
    object_policies = {"partial_update": policies.offer_change, "destroy": policies.offer_change}

    def get_queryset(self) -> QuerySet[ObserverOffer]:
        return (
            ObserverOffer.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("observers", queryset=OfferedObserver.objects.order_by("id")))
            .order_by("offered", "id")
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        offer = self.get_object()
        given = ObserverOfferUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        offer = services.observer_offer_update(actor=request.user, offer=offer, **given.validated_data)
        offer = self.get_queryset().get(pk=offer.pk)
        return Response(ObserverOfferSerializer(offer, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance: ObserverOffer) -> None:
        services.observer_offer_withdraw(actor=self.request.user, offer=instance)


@extend_schema_view(
    list=extend_schema(
        summary="Recommendations",
        description="Recommendations of final reports, with every assessment. Filters: `state`, `activity`, "
        "`status` (the latest assessment's), `topic`.",
        examples=[OpenApiExample("A recommendation", value=RECOMMENDATION_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(summary="A recommendation"),
    create=extend_schema(
        summary="Add a recommendation (ODIHR)",
        description="To the activity's final report (409 when it has none yet); it starts `pending`.",
        request=RecommendationCreateSerializer,
        responses={
            201: RecommendationSerializer,
            400: OpenApiResponse(description="Invalid"),
            409: OpenApiResponse(description="No final report yet"),
            **REFUSALS,
        },
        examples=[
            OpenApiExample(
                "A recommendation",
                request_only=True,
                value={"activity": 31, "text": "Publish results by polling station.", "topic": "elections"},
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a recommendation's text, topic or number (ODIHR)",
        request=RecommendationUpdateSerializer,
        responses={200: RecommendationSerializer, **REFUSALS},
    ),
)
class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WriteViewSet):
    """Recommendations (public); ODIHR adds, edits and assesses them."""

    serializer_class = RecommendationSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = RecommendationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_policies = {"create": policies.recommendation_manage}
    object_policies = {
        "partial_update": policies.recommendation_manage,
        "assessments": policies.recommendation_assess,
    }

    def get_queryset(self) -> QuerySet[Recommendation]:
        # 1 count + 1 page (report, activity, election, State and topic joined) + 1 prefetch of the
        # assessments: 3 queries for any page.
        return (
            Recommendation.objects.visible_to(self.request.user)
            .for_list()
            .order_by("-report__published", "report_id", "number", "id")
        )

    def _respond(self, recommendation: Recommendation, code: int = status.HTTP_200_OK) -> Response:
        recommendation = self.get_queryset().get(pk=recommendation.pk)
        data = RecommendationSerializer(recommendation, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = RecommendationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        recommendation = services.recommendation_add(actor=request.user, **given.validated_data)
        return self._respond(recommendation, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = self.get_object()
        given = RecommendationUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        updated = services.recommendation_update(
            actor=request.user, recommendation=recommendation, **given.validated_data
        )
        return self._respond(updated)

    @extend_schema(
        summary="Assess a recommendation (ODIHR)",
        description=(
            "Adds an assessment, keeping the earlier ones; answers 201 with the recommendation, whose "
            "`status` is the latest assessment's by date and `assessments` lists them all."
        ),
        request=AssessmentCreateSerializer,
        responses={201: RecommendationSerializer, 400: OpenApiResponse(description="Invalid"), **REFUSALS},
        examples=[
            OpenApiExample(
                "Mostly implemented",
                request_only=True,
                value={"status": "mostly", "assessed": "2031-09-02", "note": "New election code adopted."},
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="assessments", filterset_class=None)
    def assessments(self, request: Request, pk: str | None = None) -> Response:
        recommendation = self.get_object()
        given = AssessmentCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        services.recommendation_assess(
            actor=request.user, recommendation=recommendation, assessed_on=data.pop("assessed"), **data
        )
        return self._respond(recommendation, status.HTTP_201_CREATED)
