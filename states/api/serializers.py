"""API shapes of the organisation's reference data (CONTRACT.md §6)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from states.models import Body, Chairpersonship, Delegation, Dimension, Diplomat, Partner, State, Topic


class StateSerializer(serializers.ModelSerializer):
    """A participating State, today's or a former one; ``left`` is the first day out."""

    url = serializers.HyperlinkedIdentityField(view_name="api:state-detail", lookup_field="code")
    participating = serializers.SerializerMethodField(help_text="Whether the State participates today.")
    successor = serializers.CharField(
        source="successor_id",
        allow_null=True,
        read_only=True,
        help_text="Code of the State that continued this one's participation, or null.",
    )
    chairpersonship_years = serializers.SerializerMethodField(
        help_text="The years in which the State held the Chairpersonship."
    )

    class Meta:
        model = State
        fields = [
            "url",
            "code",
            "name",
            "iso_alpha3",
            "joined",
            "joined_precision",
            "left",
            "participating",
            "successor",
            "chairpersonship_years",
        ]

    def get_participating(self, obj: State) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return obj.participates_on(today)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_chairpersonship_years(self, obj: State) -> list[int]:
        # Sorted in Python so a prefetch with any ordering (or none) gives the same answer.
        return sorted(chair.year for chair in obj.chairpersonships.all())


class PartnerSerializer(serializers.ModelSerializer):
    """A Partner for Co-operation (Asian or Mediterranean) and the year it became one."""

    url = serializers.HyperlinkedIdentityField(view_name="api:partner-detail", lookup_field="code")

    class Meta:
        model = Partner
        fields = ["url", "code", "name", "group", "since"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class DimensionSerializer(serializers.ModelSerializer):
    """A dimension of comprehensive security with its topics (activity areas)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:dimension-detail", lookup_field="slug")
    topics = TopicSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["url", "slug", "name", "topics"]


class BodySerializer(serializers.ModelSerializer):
    """A body or institution of the organisation, with its kind and seat."""

    url = serializers.HyperlinkedIdentityField(view_name="api:body-detail", lookup_field="slug")

    class Meta:
        model = Body
        fields = ["url", "slug", "name", "kind", "seat"]


class ChairpersonshipSerializer(serializers.ModelSerializer):
    """The State chairing the organisation in a year."""

    url = serializers.HyperlinkedIdentityField(view_name="api:chairpersonship-detail", lookup_field="year")
    state = serializers.CharField(source="state_id", read_only=True, help_text="Code of the chairing State.")

    class Meta:
        model = Chairpersonship
        fields = ["url", "year", "state"]


class HeadSerializer(serializers.Serializer):
    """The head of a permanent mission: name and title (empty until the State enters them)."""

    name = serializers.CharField(source="head_name", read_only=True)
    title = serializers.CharField(source="head_title", read_only=True)


class DiplomatSerializer(serializers.ModelSerializer):
    """A member of a permanent mission and the bodies (slugs) they follow."""

    bodies = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")  # type: ignore[var-annotated]

    class Meta:
        model = Diplomat
        fields = ["name", "title", "bodies"]


class DelegationSerializer(serializers.ModelSerializer):
    """A State's Permanent Mission to the OSCE in Vienna."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:delegation-detail", lookup_field="state_id", lookup_url_kwarg="state"
    )
    state = serializers.CharField(source="state_id", read_only=True, help_text="Code of the State.")
    head = HeadSerializer(source="*", read_only=True)
    members = DiplomatSerializer(many=True, read_only=True)

    class Meta:
        model = Delegation
        fields = ["url", "state", "head", "address", "members"]
