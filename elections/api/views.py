"""API viewsets of election observation."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import focal_state, is_hr
from elections import services
from elections.api.serializers import (
    ElectionSerializer,
    ObservationActivitySerializer,
    ObserverOfferCreateSerializer,
    ObserverOfferSerializer,
)
from elections.filters import ElectionFilter, ObservationActivityFilter
from elections.models import Election, ObservationActivity, ObserverOffer, OfferedObserver

ELECTION_EXAMPLE = {
    "url": "https://portal.example/api/v1/elections/12/",
    "id": 12,
    "state": "GE",
    "kind": "parliamentary",
    "date": "2028-10-29",
    "round": 1,
    "first_round": None,
    "early": False,
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
        "offers_open": True,
        "recommended_deployment": "",
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
    },
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
}


class OfferPermission(permissions.BasePermission):
    """Offers are read by HR (all) and focal points (their State's); offered by focal points.
    Anonymous callers get 401, other users 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return is_hr(user) or focal_state(user) is not None
        return focal_state(user) is not None


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
)
class ElectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Elections (public)."""

    serializer_class = ElectionSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ElectionFilter
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Election]:
        # 1 count + 1 page of elections (with their State) + 3 prefetches: activities (offered sums
        # annotated), reports, recommendations. Constant for any page size.
        return Election.objects.visible_to(self.request.user).with_observation().order_by("date", "id")


@extend_schema_view(
    list=extend_schema(summary="Observation activities"),
    retrieve=extend_schema(summary="An observation activity"),
)
class ObservationActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """NAMs and deployed activities (public), with observers requested and offered (sums of all
    States' offers), reports and recommendations."""

    serializer_class = ObservationActivitySerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ObservationActivityFilter
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[ObservationActivity]:
        return (
            ObservationActivity.objects.visible_to(self.request.user).with_details().order_by("opened", "id")
        )

    def get_permissions(self) -> Any:
        if self.action == "observer_offers":
            return [OfferPermission()]
        return super().get_permissions()

    @extend_schema(
        methods=["GET"],
        summary="Observers offered to an activity",
        description="HR sees every State's offers; a focal point sees its own State's only.",
        responses={200: ObserverOfferSerializer(many=True)},
        examples=[OpenApiExample("An offer", value=OFFER_EXAMPLE, response_only=True)],
    )
    @extend_schema(
        methods=["POST"],
        summary="Offer observers",
        description=(
            "The caller's State (focal point) offers long-term and short-term observers. 400: negative "
            "numbers, nothing offered, the host State offering. 409: the deployment has started "
            "(offers close on `opened`) or the activity is closed."
        ),
        request=ObserverOfferCreateSerializer,
        responses={
            201: ObserverOfferSerializer,
            400: OpenApiResponse(
                description="Invalid offer (host State, negative numbers, nothing offered)."
            ),
            409: OpenApiResponse(description="Offers have closed: the deployment started."),
        },
        examples=[
            OpenApiExample("Offer", value={"lto": 2, "sto": 10}, request_only=True),
            OpenApiExample("Created", value=OFFER_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    @action(detail=True, methods=["get", "post"], url_path="observer-offers", filterset_class=None)
    def observer_offers(self, request: Request, pk: str | None = None) -> Response:
        activity = get_object_or_404(ObservationActivity.objects.select_related("election"), pk=pk)
        if request.method == "POST":
            given = ObserverOfferCreateSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            offer = services.observer_offer_create(
                actor=request.user,
                activity=activity,
                state=focal_state(request.user),
                lto=given.validated_data["lto"],
                sto=given.validated_data["sto"],
                note=given.validated_data["note"],
                observers=given.validated_data["observers"],
            )
            offer = ObserverOffer.objects.prefetch_related("observers").get(pk=offer.pk)
            data = ObserverOfferSerializer(offer, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_201_CREATED)
        offers = (
            ObserverOffer.objects.visible_to(request.user)
            .filter(activity=activity)
            .prefetch_related(Prefetch("observers", queryset=OfferedObserver.objects.order_by("id")))
            .order_by("offered", "id")
        )
        page = self.paginate_queryset(offers)
        serializer = ObserverOfferSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


@extend_schema_view(
    list=extend_schema(summary="Observer offers", description="HR: every offer; a focal point: its State's."),
    retrieve=extend_schema(summary="An observer offer"),
)
class ObserverOfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Offers of observers: HR sees all; a focal point its own State's (another State's: 404)."""

    serializer_class = ObserverOfferSerializer
    lookup_value_regex = "[0-9]+"
    permission_classes = [OfferPermission]
    filterset_class = None

    def get_queryset(self) -> QuerySet[ObserverOffer]:
        return (
            ObserverOffer.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("observers", queryset=OfferedObserver.objects.order_by("id")))
            .order_by("offered", "id")
        )
