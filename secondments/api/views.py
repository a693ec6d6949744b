"""API of the secondment cycle: vacancies, nominations, secondments.

Thin adapters: parse and validate the shape (serializers), call the service, render. Who may act
is the services' policies (``secondments.policies``), asked first through ``PolicyMixin`` so a
caller without the right gets 401/403/404 before its body is read.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import FieldSelectionMixin, PolicyMixin, UpperCaseLookupMixin
from core.formats import JSONParser, csv_requested
from core.versions import VersionedETagMixin
from missions.models import FieldOperation
from secondments import policies, services
from secondments.api.rows import COLUMNS, vacancy_rows
from secondments.api.serializers import (
    ExtendSerializer,
    NominationCreateSerializer,
    NominationDecisionSerializer,
    NominationSerializer,
    ReasonSerializer,
    SecondmentSerializer,
    VacancySerializer,
)
from secondments.filters import NominationApiFilter, SecondmentApiFilter, VacancyApiFilter
from secondments.models import FieldOfExpertise, Nomination, NominationChange, Secondment, Vacancy
from states.models import Body, Dimension, Partner, State

VACANCY_EXAMPLE = {
    "url": "https://portal.example/api/v1/vacancies/VNBAHS00592/",
    "reference": "VNBAHS00592",
    "title": "Deputy Head of Mission",
    "field_operation": "mission-to-bosnia-and-herzegovina",
    "body": None,
    "duty_station": "Sarajevo",
    "appointment": "seconded",
    "grade": "DHoM",
    "dimension": "politico-military",
    "posts": 1,
    "deadline": "2026-12-15",
    "status": "open",
    "published": "2026-11-20T09:00:00+01:00",
    "description": "The Mission assists Bosnia and Herzegovina in ...",
    "tasks": "Deputises for the Head of Mission ...",
    "requirements": "Advanced university degree ...",
    "remuneration": "Seconded: the nominating State pays the salary.",
    "open_to_partners": False,
    "notice_language": "en",
    "languages": ["en"],
    "field_of_expertise": "political-affairs",
    "updated": "2026-11-20T09:00:00+01:00",
}

REFUSALS = {
    401: OpenApiResponse(description="No credentials"),
    403: OpenApiResponse(description="Credentials without the right"),
    404: OpenApiResponse(description="Not there for this caller"),
}


@extend_schema_view(
    list=extend_schema(
        summary="Vacancies",
        description="Vacancy notices; drafts only for HR. `q` is full-text in the six languages, ranked.",
        examples=[OpenApiExample("A vacancy", value=VACANCY_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(summary="A vacancy"),
    create=extend_schema(
        summary="Create a draft vacancy (HR)", responses={201: VacancySerializer, **REFUSALS}
    ),
    partial_update=extend_schema(
        summary="Edit a draft or open vacancy (HR)", responses={200: VacancySerializer, 409: None, **REFUSALS}
    ),
    update=extend_schema(summary="Replace a draft or open vacancy's fields (HR)"),
)
class VacancyViewSet(
    VersionedETagMixin,
    UpperCaseLookupMixin,
    FieldSelectionMixin,
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = VacancySerializer
    etag_models = (Vacancy, FieldOperation, Body, Dimension, FieldOfExpertise)
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9]+"
    filterset_class = VacancyApiFilter
    upload_actions = frozenset({"nominations"})  # a CV: the upload limit (core.middleware)
    # current_status reads the row only.
    field_relations = {"status": ()}
    action_policies = {"create": policies.vacancy_manage}
    object_policies = {
        name: policies.vacancy_manage
        for name in ("update", "partial_update", "publish", "close", "extend", "cancel")
    } | {"nominations": policies.nomination_submit}

    def get_queryset(self) -> QuerySet[Vacancy]:
        return Vacancy.objects.visible_to(self.request.user).for_list()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The hot list: the vacancy table alone, rows as plain dicts (``secondments.api.rows``),
        only the ``?fields=`` asked for. A CSV export streams through the serializer instead."""
        if csv_requested(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(Vacancy.objects.visible_to(request.user))
        page = self.paginate_queryset(queryset.values(*COLUMNS))
        return self.get_paginated_response(
            vacancy_rows(page or [], request=request, fields=self.selected_fields)
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One vacancy from its row, as the list builds it (``secondments.api.rows``: the same
        fields as ``VacancySerializer``). Filters are the lists'; an address names one vacancy."""
        reference = str(kwargs.get(self.lookup_field, "")).upper()
        rows = Vacancy.objects.visible_to(request.user).filter(reference=reference).values(*COLUMNS)[:1]
        found = vacancy_rows(rows, request=request, fields=self.selected_fields)
        if not found:
            raise exceptions.NotFound()
        return Response(found[0])

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.vacancy_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.vacancy_update(
            actor=self.request.user, vacancy=serializer.instance, **serializer.validated_data
        )

    def _respond(self, vacancy: Vacancy) -> Response:
        vacancy = self.get_queryset().get(pk=vacancy.pk)
        return Response(VacancySerializer(vacancy, context=self.get_serializer_context()).data)

    @extend_schema(
        request=None, responses={200: VacancySerializer, 409: OpenApiResponse(description="Not a draft")}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, reference: str | None = None) -> Response:
        """Publish a draft: it opens for nominations and the focal points are alerted."""
        return self._respond(services.vacancy_publish(actor=request.user, vacancy=self.get_object()))

    @extend_schema(
        request=ReasonSerializer,
        responses={200: VacancySerializer, 409: OpenApiResponse(description="Not open")},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, reference: str | None = None) -> Response:
        """Close an open vacancy early."""
        vacancy = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.vacancy_close(actor=request.user, vacancy=vacancy, **data.validated_data)
        )

    @extend_schema(
        request=ExtendSerializer,
        responses={
            200: VacancySerializer,
            400: OpenApiResponse(description="Bad deadline"),
            409: OpenApiResponse(description="Not open or closed"),
        },
        examples=[OpenApiExample("Extend", value={"deadline": "2026-12-31"}, request_only=True)],
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, reference: str | None = None) -> Response:
        """Move the deadline later (the extension is recorded)."""
        vacancy = self.get_object()
        data = ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.vacancy_extend(
                actor=request.user, vacancy=vacancy, deadline=data.validated_data["deadline"]
            )
        )

    @extend_schema(
        request=ReasonSerializer,
        responses={200: VacancySerializer, 409: OpenApiResponse(description="Can't cancel")},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, reference: str | None = None) -> Response:
        """Cancel a vacancy without a selected candidate (a draft stays unpublished)."""
        vacancy = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.vacancy_cancel(actor=request.user, vacancy=vacancy, **data.validated_data)
        )

    @extend_schema(
        summary="Nominate a candidate (focal point of a State or a Partner)",
        request={
            "application/json": NominationCreateSerializer,
            "multipart/form-data": NominationCreateSerializer,
        },
        responses={
            201: NominationSerializer,
            400: OpenApiResponse(
                description="Nationality, host-State or Partner rule; a CV that is not a PDF"
            ),
            409: OpenApiResponse(
                description="Not open, deadline passed, or already nominated by the same State"
            ),
            **REFUSALS,
        },
        examples=[
            OpenApiExample(
                "Nomination",
                request_only=True,
                value={
                    "candidate": {
                        "given_name": "Anna",
                        "family_name": "Huber",
                        "email": "anna.huber@example.org",
                        "nationality": "AT",
                        "gender": "female",
                    },
                    "motivation": "Ten years in rule-of-law programmes.",
                },
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="nominations",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        serializer_class=NominationSerializer,  # the answer's (and ``?fields=``'s) fields
    )
    def nominations(self, request: Request, reference: str | None = None) -> Response:
        """A focal point nominates a candidate of its own State or Partner (JSON, or multipart with
        a `cv`)."""
        vacancy = self.get_object()
        serializer = NominationCreateSerializer(data=_nomination_payload(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        nomination = services.nomination_submit(
            actor=request.user,
            vacancy=vacancy,
            motivation=data.get("motivation", ""),
            cv=data.get("cv"),
            **data["candidate"],
        )
        nomination = Nomination.objects.for_list().get(pk=nomination.pk)
        body = NominationSerializer(nomination, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


def _nomination_payload(request: Request) -> dict[str, Any]:
    """JSON as sent; multipart may carry ``candidate`` as JSON text or as ``candidate.<field>``."""
    data: Any = request.data
    if not hasattr(data, "getlist"):
        return data if isinstance(data, dict) else {}
    payload: dict[str, Any] = {}
    candidate: Any = data.get("candidate")
    if isinstance(candidate, str) and candidate.strip():
        try:
            candidate = json.loads(candidate)
        except ValueError as error:
            raise exceptions.ValidationError({"candidate": [_("Not valid JSON.")]}) from error
    if not isinstance(candidate, dict):
        candidate = {}
        for name in ("given_name", "family_name", "email", "nationality", "gender"):
            for key in (f"candidate.{name}", f"candidate[{name}]", name):
                if key in data:
                    candidate[name] = data.get(key)
                    break
    payload["candidate"] = candidate
    if "motivation" in data:
        payload["motivation"] = data.get("motivation")
    if "cv" in data:
        payload["cv"] = data.get("cv")
    return payload


@extend_schema_view(
    list=extend_schema(summary="Nominations (HR: all; focal point: own State's or Partner's)"),
    retrieve=extend_schema(summary="A nomination"),
    partial_update=extend_schema(
        summary="Decide on a nomination (HR), or withdraw it or update its motivation (own focal point)",
        request=NominationDecisionSerializer,
        responses={
            200: NominationSerializer,
            409: OpenApiResponse(
                description="Nominations still open, transition not allowed, posts filled, limits"
            ),
            **REFUSALS,
        },
        examples=[
            OpenApiExample(
                "Shortlist",
                value={"status": "shortlisted", "reason": "Strong rule-of-law record"},
                request_only=True,
            )
        ],
    ),
)
class NominationViewSet(
    VersionedETagMixin,
    FieldSelectionMixin,
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NominationSerializer
    filterset_class = NominationApiFilter
    etag_models = (Nomination, NominationChange, Vacancy, State, Partner, get_user_model())
    # The codes are the foreign keys' own columns; the candidate's fields are the row's.
    field_relations = {"state": (), "candidate": (), "cv": ()}
    http_method_names = ["get", "patch", "post", "head", "options"]
    action_policies = dict.fromkeys(
        ("list", "retrieve", "partial_update", "withdraw"), policies.nominations_read
    )

    def get_queryset(self) -> QuerySet[Nomination]:
        return Nomination.objects.visible_to(self.request.user).for_list().order_by("-submitted", "-id")

    def _respond(self, nomination: Nomination) -> Response:
        nomination = self.get_queryset().get(pk=nomination.pk)
        return Response(NominationSerializer(nomination, context=self.get_serializer_context()).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """``status`` withdrawn: the nominating State withdraws; another status: HR decides; no
        status: the nominating State updates the motivation. The service decides who may."""
        nomination = self.get_object()
        serializer = NominationDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = request.user
        if data.get("status") == Nomination.Status.WITHDRAWN:
            nomination = services.nomination_withdraw(
                actor=actor, nomination=nomination, reason=data.get("reason", "")
            )
        elif "status" in data:
            nomination = services.nomination_decide(
                actor=actor,
                nomination=nomination,
                status=data["status"],
                reason=data.get("reason", ""),
                start=data.get("start"),
            )
        else:
            nomination = services.nomination_update(
                actor=actor, nomination=nomination, motivation=data.get("motivation")
            )
        return self._respond(nomination)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: NominationSerializer, 409: OpenApiResponse(description="Not open"), **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """The nominating State withdraws a submitted or shortlisted nomination."""
        nomination = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.nomination_withdraw(actor=request.user, nomination=nomination, **data.validated_data)
        )


@extend_schema_view(
    list=extend_schema(summary="Secondments (HR: all; focal point: own State's or Partner's)"),
    retrieve=extend_schema(summary="A secondment"),
)
class SecondmentViewSet(
    VersionedETagMixin,
    FieldSelectionMixin,
    PolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SecondmentSerializer
    filterset_class = SecondmentApiFilter
    etag_models = (Secondment, Nomination, State, Partner, Vacancy)
    # seconding_code and the status read the row only.
    field_relations = {"state": (), "status": ()}
    action_policies = dict.fromkeys(("list", "retrieve", "renew"), policies.nominations_read)
    object_policies = {"renew": policies.secondment_manage}

    def get_queryset(self) -> QuerySet[Secondment]:
        return Secondment.objects.visible_to(self.request.user).with_status().for_list().order_by("end", "id")

    @extend_schema(
        request=None,
        responses={
            200: SecondmentSerializer,
            409: OpenApiResponse(
                description=(
                    "Already renewed for the coming year, or past 7 years in one operation "
                    "or 10 years of service"
                )
            ),
            **REFUSALS,
        },
    )
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str | None = None) -> Response:
        """Renew by one year (HR), during the secondment's current year."""
        secondment = services.secondment_renew(actor=request.user, secondment=self.get_object())
        secondment = self.get_queryset().get(pk=secondment.pk)
        return Response(SecondmentSerializer(secondment, context=self.get_serializer_context()).data)
