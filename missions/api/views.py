"""API of field operations, projects and pledges."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import FieldSelectionMixin, PolicyMixin
from missions import policies, services
from missions.api.serializers import (
    FieldOperationSerializer,
    PledgeCreatedSerializer,
    PledgeCreateSerializer,
    ProjectSerializer,
)
from missions.filters import FieldOperationFilter, ProjectFilter
from missions.models import FieldOperation, Project

OPERATION_EXAMPLE = {
    "url": "http://127.0.0.1:8000/api/v1/field-operations/programme-office-in-astana/",
    "slug": "programme-office-in-astana",
    "name": "Programme Office in Astana",
    "code": "AST",
    "kind": "programme-office",
    "region": "central-asia",
    "host_state": "KZ",
    "location": "Astana",
    "established": "2014-12-18",
    "established_precision": "day",
    "closed": None,
    "closed_precision": "",
    "status": "active",
    "predecessor": "centre-in-astana",
    "successor": None,
    "decisions": [],
    "dimensions": ["politico-military", "economic-environmental", "human"],
    "topics": [],
    "head": None,
}

PROJECT_EXAMPLE = {
    "url": "http://127.0.0.1:8000/api/v1/projects/7/",
    "id": 7,
    "title": "Border management training for customs officers",
    "implementer": "programme-office-in-dushanbe",
    "implementer_kind": "field-operation",
    "dimension": "politico-military",
    "description": "",
    "budget_eur": 250000.0,
    "pledged_eur": 100000.0,
    "status": "approved",
    "starts": "2027-01-01",
    "ends": "2028-01-01",
    "pledges": [
        {
            "state": "AT",
            "amount_eur": 60000.0,
            "date": "2026-11-20",
            "received": None,
            "received_amount_eur": None,
        },
        {
            "state": "DE",
            "amount_eur": 40000.0,
            "date": "2026-11-24",
            "received": "2026-11-27",
            "received_amount_eur": 40000.0,
        },
    ],
}


@extend_schema_view(
    list=extend_schema(
        summary="Field operations, current and closed",
        description=(
            "Filters: `status` (`active`/`closed`, as of today), `region`, `host_state` (State code), "
            "`dimension` (slug), `as_of` (operations active on that date), `search`. An unknown value "
            "answers 400."
        ),
        examples=[OpenApiExample("A programme office", value=OPERATION_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One field operation",
        examples=[OpenApiExample("A programme office", value=OPERATION_EXAMPLE, response_only=True)],
    ),
)
class FieldOperationViewSet(FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    """Public: the OSCE's field operations with their chain of renames."""

    serializer_class = FieldOperationSerializer
    filterset_class = FieldOperationFilter
    lookup_field = "slug"
    lookup_value_regex = "[a-z0-9-]+"

    def get_queryset(self) -> QuerySet[FieldOperation]:
        return FieldOperation.objects.for_list().order_by("name", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Extra-budgetary projects",
        description=(
            "Filters: `status`, `dimension`, `field_operation`, `body`, `implementer` (either slug), "
            "`state` (projects a State pledged to), `search`."
        ),
        examples=[OpenApiExample("A project", value=PROJECT_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One project with its pledges",
        examples=[OpenApiExample("A project", value=PROJECT_EXAMPLE, response_only=True)],
    ),
)
class ProjectViewSet(FieldSelectionMixin, PolicyMixin, viewsets.ReadOnlyModelViewSet):
    """Public: projects submitted by field operations and institutions, with the pledges of States."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Project]:
        return Project.objects.for_list().order_by("-created", "-id")

    action_policies = {"pledges": policies.pledge_create}

    @extend_schema(
        summary="Pledge the caller's State's funds to the project",
        description=(
            "Focal points only, for their own State: anonymous answers 401, any other user 403. "
            "`amount_eur` must be a positive amount in euros with at most two decimals (else 400); a "
            "completed or cancelled project answers 409."
        ),
        request=PledgeCreateSerializer,
        responses={
            201: PledgeCreatedSerializer,
            400: OpenApiResponse(description="The amount is not a positive number of euros."),
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="Not a focal point."),
            409: OpenApiResponse(description="The project takes no more pledges."),
        },
        examples=[
            OpenApiExample(
                "A pledge",
                value={"amount_eur": "25000.00", "note": "From the 2027 budget"},
                request_only=True,
            ),
            OpenApiExample(
                "The pledge made",
                value={
                    "id": 12,
                    "project": "http://127.0.0.1:8000/api/v1/projects/7/",
                    "state": "AT",
                    "amount_eur": 25000.0,
                    "date": "2026-11-28",
                    "note": "From the 2027 budget",
                    "pledged_eur": 125000.0,
                    "budget_eur": 250000.0,
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "A refused amount",
                value={"amount_eur": ["The amount must be more than zero euros."]},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    # The answer's (and ``?fields=``'s) fields are the pledge's.
    @action(detail=True, methods=["post"], url_path="pledges", serializer_class=PledgeCreatedSerializer)
    def pledges(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        serializer = PledgeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pledge = services.pledge_create(
            actor=request.user,
            project=project,
            amount_eur=serializer.validated_data["amount_eur"],
            note=serializer.validated_data.get("note", ""),
        )
        data = PledgeCreatedSerializer(pledge, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
