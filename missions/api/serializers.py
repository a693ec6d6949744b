"""Shapes of field operations, projects and pledges in the API (CONTRACT §6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from missions.models import FieldOperation, HeadOfOperation, Pledge, Project


@extend_schema_field({"type": "string", "description": "`day`, `month` or `year`"})
class PrecisionField(serializers.CharField):
    """How much of a date is known (``day``, ``month``, ``year``); empty when there is no date."""


@extend_schema_field(
    {"type": "string", "nullable": True, "description": "`day`, `month` or `year`; null when not closed"}
)
class ClosedPrecisionField(serializers.CharField):
    """The precision of ``closed``: null while the operation runs, like ``closed`` itself."""

    def to_representation(self, value: object) -> str | None:  # type: ignore[override]
        return str(value) if value else None


class OperationHeadSerializer(serializers.ModelSerializer):
    nationality = serializers.CharField(source="nationality_id", allow_null=True, read_only=True)

    class Meta:
        model = HeadOfOperation
        fields = ["name", "title", "nationality", "started", "ended"]


class FieldOperationSerializer(serializers.HyperlinkedModelSerializer):
    """A field operation; ``status`` is as of today, ``predecessor``/``successor`` are slugs."""

    url = serializers.HyperlinkedIdentityField(view_name="api:field-operation-detail", lookup_field="slug")
    host_state = serializers.CharField(source="host_state_id", allow_null=True, read_only=True)
    established_precision = PrecisionField(read_only=True)
    closed_precision = ClosedPrecisionField(read_only=True)
    status = serializers.SerializerMethodField()
    predecessor: serializers.SlugRelatedField[FieldOperation] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,  # null: the first of its chain
    )
    successor = serializers.SerializerMethodField()
    decisions = serializers.ListField(child=serializers.CharField(), read_only=True)
    dimensions: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    topics: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    head = serializers.SerializerMethodField()

    class Meta:
        model = FieldOperation
        fields = [
            "url",
            "slug",
            "name",
            "code",
            "kind",
            "region",
            "host_state",
            "location",
            "established",
            "established_precision",
            "closed",
            "closed_precision",
            "status",
            "predecessor",
            "successor",
            "decisions",
            "dimensions",
            "topics",
            "head",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["active", "closed"]})
    def get_status(self, obj: FieldOperation) -> str:
        return obj.status

    @extend_schema_field({"type": "string", "nullable": True})
    def get_successor(self, obj: FieldOperation) -> str | None:
        successor = obj.successor_or_none()
        return successor.slug if successor else None

    @extend_schema_field(OperationHeadSerializer(allow_null=True))
    def get_head(self, obj: FieldOperation) -> dict[str, Any] | None:
        head = obj.current_head()
        return OperationHeadSerializer(head).data if head else None


class PledgeSerializer(serializers.ModelSerializer):
    """One pledge as listed in a project."""

    state = serializers.CharField(source="state_id", read_only=True)

    class Meta:
        model = Pledge
        fields = ["state", "amount_eur", "date", "received", "received_amount_eur"]
        read_only_fields = fields


class ProjectSerializer(serializers.HyperlinkedModelSerializer):
    """A project; ``implementer`` is the slug of its field operation or body."""

    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="pk")
    implementer = serializers.SerializerMethodField()
    implementer_kind = serializers.SerializerMethodField()
    dimension = serializers.CharField(source="dimension_id", read_only=True)
    pledged_eur = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    pledges = PledgeSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "url",
            "id",
            "title",
            "implementer",
            "implementer_kind",
            "dimension",
            "description",
            "budget_eur",
            "pledged_eur",
            "status",
            "starts",
            "ends",
            "pledges",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_implementer(self, obj: Project) -> str | None:
        return obj.implementer_slug

    @extend_schema_field({"type": "string", "enum": ["field-operation", "body"]})
    def get_implementer_kind(self, obj: Project) -> str:
        return "field-operation" if obj.field_operation_id else "body"


class PledgeCreateSerializer(serializers.Serializer):
    """The body of ``POST projects/<id>/pledges/``: the amount in euros and an optional note.

    Only the shape is checked here; the service decides whether the amount is acceptable, so the page
    and the API give the same answer.
    """

    amount_eur = serializers.CharField(max_length=40, help_text="A positive amount in euros, e.g. 25000.00")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def to_internal_value(self, data: Any) -> Any:
        # JSON numbers arrive as int/float: keep their text, never a binary float.
        if (
            isinstance(data, dict)
            and isinstance(data.get("amount_eur"), int | float)
            and not isinstance(data.get("amount_eur"), bool)
        ):
            data = {**data, "amount_eur": str(data["amount_eur"])}
        return super().to_internal_value(data)


class PledgeCreatedSerializer(serializers.ModelSerializer):
    """The pledge just made, with the project's new total."""

    project: serializers.HyperlinkedRelatedField[Project] = serializers.HyperlinkedRelatedField(
        view_name="api:project-detail", read_only=True
    )
    state = serializers.CharField(source="state_id", read_only=True)
    pledged_eur = serializers.SerializerMethodField()
    budget_eur = serializers.DecimalField(
        source="project.budget_eur", max_digits=14, decimal_places=2, read_only=True
    )

    class Meta:
        model = Pledge
        fields = ["id", "project", "state", "amount_eur", "date", "note", "pledged_eur", "budget_eur"]
        read_only_fields = fields

    @extend_schema_field({"type": "number", "format": "double"})
    def get_pledged_eur(self, obj: Pledge) -> Decimal:
        return Project.objects.for_list().get(pk=obj.project_id).pledged_eur
