"""Read-only API of the organisation's reference data: anyone may read it (CONTRACT.md §3, §6)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets

from core.api import FieldSelectionMixin, UpperCaseLookupMixin
from states.api import serializers
from states.filters import BodyFilter, ChairpersonshipFilter, PartnerFilter, StateFilter
from states.models import Body, Chairpersonship, Delegation, Dimension, Partner, State, Topic

STATE_CODE = r"[A-Za-z]{2}(?:[A-Za-z]{2})?"
SLUG = r"[-a-zA-Z0-9_]+"

AUSTRIA = {
    "url": "https://portal.example.org/api/v1/states/AT/",
    "code": "AT",
    "name": "Austria",
    "iso_alpha3": "AUT",
    "joined": "1975-08-01",
    "joined_precision": "day",
    "left": None,
    "participating": True,
    "successor": None,
    "chairpersonship_years": [2000, 2017],
}
USSR = {
    "url": "https://portal.example.org/api/v1/states/SUHH/",
    "code": "SUHH",
    "name": "Union of Soviet Socialist Republics",
    "iso_alpha3": "SUN",
    "joined": "1975-08-01",
    "joined_precision": "day",
    "left": "1991-12-26",
    "participating": False,
    "successor": "RU",
    "chairpersonship_years": [],
}


def _page(*results: dict) -> dict:
    return {"count": len(results), "next": None, "previous": None, "results": list(results)}


@extend_schema_view(
    list=extend_schema(
        summary="Participating States",
        description=(
            "Today's participating States by default (57). `as_of=YYYY-MM-DD` lists the States "
            "participating on that day, former ones included (35 in 1976, 56 at the end of 2011); "
            "`search` matches the name or the code. A malformed date answers 400."
        ),
        examples=[
            OpenApiExample("Participants on 1 January 1990", value=_page(AUSTRIA, USSR), response_only=True)
        ],
    ),
    retrieve=extend_schema(
        summary="One participating State, today's or a former one",
        description=(
            "Looked up by its upper-case code (`AT`, or `SUHH` for the USSR); an unknown code answers 404."
        ),
        examples=[
            OpenApiExample("Austria", value=AUSTRIA, response_only=True),
            OpenApiExample("A former participant: the USSR", value=USSR, response_only=True),
        ],
    ),
)
class StateViewSet(UpperCaseLookupMixin, FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.StateSerializer
    filterset_class = StateFilter
    lookup_field = "code"
    lookup_value_regex = STATE_CODE
    # 3 queries for a list of any length: count, page of States, their chairpersonships.

    def get_queryset(self) -> QuerySet[State]:
        return State.objects.with_chairpersonships().order_by("name")

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The filters (and today's default) choose the list; any State, former ones included, has
        # its own address.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema_view(
    list=extend_schema(
        summary="Partners for Co-operation",
        examples=[
            OpenApiExample(
                "Japan",
                value=_page(
                    {
                        "url": "https://portal.example.org/api/v1/partners/JP/",
                        "code": "JP",
                        "name": "Japan",
                        "group": "asian",
                        "since": 1992,
                    }
                ),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(summary="One Partner for Co-operation"),
)
class PartnerViewSet(UpperCaseLookupMixin, FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Partner.objects.order_by("name")
    serializer_class = serializers.PartnerSerializer
    filterset_class = PartnerFilter
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z]{2}"


@extend_schema_view(
    list=extend_schema(
        summary="The three dimensions and their topics",
        examples=[
            OpenApiExample(
                "The human dimension",
                value=_page(
                    {
                        "url": "https://portal.example.org/api/v1/dimensions/human/",
                        "slug": "human",
                        "name": "Human dimension",
                        "topics": [
                            {"slug": "democratization", "name": "Democratization"},
                            {"slug": "elections", "name": "Elections"},
                        ],
                    }
                ),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(summary="One dimension and its topics"),
)
class DimensionViewSet(FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DimensionSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG
    # 3 queries: count, dimensions, their topics.

    def get_queryset(self) -> QuerySet[Dimension]:
        return Dimension.objects.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name").only("slug", "name", "dimension"))
        ).order_by("order", "slug")


@extend_schema_view(
    list=extend_schema(
        summary="Bodies and institutions",
        examples=[
            OpenApiExample(
                "ODIHR",
                value=_page(
                    {
                        "url": "https://portal.example.org/api/v1/bodies/odihr/",
                        "slug": "odihr",
                        "name": "Office for Democratic Institutions and Human Rights",
                        "kind": "institution",
                        "seat": "Warsaw",
                    }
                ),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(summary="One body or institution"),
)
class BodyViewSet(FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Body.objects.order_by("name")
    serializer_class = serializers.BodySerializer
    filterset_class = BodyFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG


@extend_schema_view(
    list=extend_schema(
        summary="Chairpersonships by year",
        examples=[
            OpenApiExample(
                "2026",
                value=_page(
                    {
                        "url": "https://portal.example.org/api/v1/chairpersonships/2026/",
                        "year": 2026,
                        "state": "CH",
                    }
                ),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(summary="The Chairpersonship of one year"),
)
class ChairpersonshipViewSet(FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Chairpersonship.objects.order_by("year")
    serializer_class = serializers.ChairpersonshipSerializer
    filterset_class = ChairpersonshipFilter
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{1,4}"


@extend_schema_view(
    list=extend_schema(
        summary="Permanent missions (delegations) in Vienna",
        description=(
            "Each participating State's Permanent Mission: its head, address and diplomats with the "
            "bodies each follows."
        ),
        examples=[
            OpenApiExample(
                "A mission whose people have been entered",
                value=_page(
                    {
                        "url": "https://portal.example.org/api/v1/delegations/AT/",
                        "state": "AT",
                        "head": {"name": "A. Example", "title": "Ambassador, Permanent Representative"},
                        "address": "Example Street 1, 1010 Vienna",
                        "members": [
                            {
                                "name": "B. Example",
                                "title": "Counsellor",
                                "bodies": ["permanent-council", "human-dimension-committee"],
                            }
                        ],
                    }
                ),
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(summary="One State's permanent mission, by State code"),
)
class DelegationViewSet(UpperCaseLookupMixin, FieldSelectionMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DelegationSerializer
    lookup_field = "state"
    lookup_value_regex = STATE_CODE
    # 4 queries for a list of any length: count, missions, their members, the members' bodies.

    def get_queryset(self) -> QuerySet[Delegation]:
        return Delegation.objects.with_members().order_by("state__name")
