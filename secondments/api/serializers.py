"""Shapes of the secondment API (validation and representation only; writes go to services)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from missions.models import FieldOperation
from secondments.models import FieldOfExpertise, Nomination, NominationChange, Secondment, Vacancy
from states.models import Body, Dimension, Partner, State


class VacancySerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:vacancy-detail", lookup_field="reference")
    field_operation = serializers.SlugRelatedField(
        slug_field="slug", queryset=FieldOperation.objects.all(), allow_null=True, required=False
    )
    body = serializers.SlugRelatedField(
        slug_field="slug", queryset=Body.objects.all(), allow_null=True, required=False
    )
    dimension = serializers.SlugRelatedField(slug_field="slug", queryset=Dimension.objects.all())
    field_of_expertise = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=FieldOfExpertise.objects.all(),
        required=False,
        help_text=_("Defaults from the dimension."),
    )
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2}$", max_length=2),
        required=False,
        max_length=20,
        help_text=_("Required languages, ISO 639-1 codes."),
    )
    posts = serializers.IntegerField(min_value=1, max_value=999, required=False)
    status = serializers.ChoiceField(
        source="current_status",
        choices=Vacancy.Status.choices,
        read_only=True,
        help_text=_("Nominations close by themselves at the deadline: an open vacancy past it is closed."),
    )

    class Meta:
        model = Vacancy
        fields = [
            "url",
            "reference",
            "title",
            "field_operation",
            "body",
            "duty_station",
            "appointment",
            "grade",
            "dimension",
            "posts",
            "deadline",
            "status",
            "published",
            "description",
            "tasks",
            "requirements",
            "remuneration",
            "open_to_partners",
            "notice_language",
            "languages",
            "field_of_expertise",
            "updated",
        ]
        read_only_fields = ["reference", "status", "published", "updated"]
        extra_kwargs = {
            "title": {"max_length": 200},
            "duty_station": {
                "max_length": 120,
                "required": False,
                "help_text": _("Defaults to the operation's location or the body's seat."),
            },
            "appointment": {"required": False, "help_text": _("Defaults from the grade.")},
        }


class ExtendSerializer(serializers.Serializer):
    deadline = serializers.DateField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class NationalityField(serializers.Field):
    """A participating State's code, or a Partner for Co-operation's, in any case (``at`` is ``AT``)."""

    default_error_messages = {"unknown": _("No State or Partner has the code {code}.")}

    def to_internal_value(self, data: Any) -> State | Partner:
        code = data.strip().upper() if isinstance(data, str) else ""
        found = State.objects.filter(code=code).first() or Partner.objects.filter(code=code).first()
        if not code or found is None:
            self.fail("unknown", code=str(data)[:20])
        return found

    def to_representation(self, value: Any) -> str:
        return str(value.pk)


@extend_schema_field({"type": "string", "example": "AT"})
class NationalityCodeField(NationalityField):
    pass


class CandidateSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    nationality = NationalityCodeField(
        help_text=_("The State's code, or the Partner's for a Partner's nomination.")
    )
    gender = serializers.ChoiceField(choices=Nomination.Gender.choices)


class NominationCreateSerializer(serializers.Serializer):
    candidate = CandidateSerializer()
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    cv = serializers.FileField(required=False, allow_null=True, help_text=_("A PDF of at most 5 MB."))


class HistorySerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = NominationChange
        fields = ["status", "at", "by", "reason"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_by(self, change: NominationChange) -> str | None:
        return change.by.get_username() if change.by_id and change.by else None


class NominationSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:nomination-detail", lookup_field="pk")
    vacancy: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    state = serializers.CharField(
        source="nominator_code", read_only=True, help_text=_("The nominating State's code, or the Partner's.")
    )
    candidate = serializers.SerializerMethodField()
    history = HistorySerializer(many=True, read_only=True)
    cv = serializers.SerializerMethodField()

    class Meta:
        model = Nomination
        fields = [
            "url",
            "id",
            "vacancy",
            "state",
            "candidate",
            "motivation",
            "cv",
            "status",
            "submitted",
            "history",
            "updated",
        ]

    @extend_schema_field(CandidateSerializer)
    def get_candidate(self, nomination: Nomination) -> dict[str, Any]:
        return {
            "given_name": nomination.given_name,
            "family_name": nomination.family_name,
            "email": nomination.email,
            "nationality": nomination.nationality_code,
            "gender": nomination.gender,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))  # null: no CV
    def get_cv(self, nomination: Nomination) -> str | None:
        if not nomination.cv:
            return None
        path = reverse("secondments:nomination-cv", kwargs={"pk": nomination.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class NominationDecisionSerializer(serializers.Serializer):
    """HR: ``status`` and ``reason`` (and optionally the secondment's ``start`` when selecting).
    The nominating focal point: ``motivation``."""

    status = serializers.ChoiceField(choices=Nomination.Status.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    start = serializers.DateField(required=False, help_text=_("Start of the secondment, when selecting."))
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class SecondmentSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:secondment-detail", lookup_field="pk")
    nomination: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    state = serializers.CharField(
        source="seconding_code", read_only=True, help_text=_("The seconding State's code, or the Partner's.")
    )
    post: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="vacancy", slug_field="reference", read_only=True
    )
    status = serializers.SerializerMethodField()

    class Meta:
        model = Secondment
        fields = ["url", "id", "nomination", "state", "post", "start", "end", "renewals", "status", "updated"]

    @extend_schema_field(serializers.ChoiceField(choices=Secondment.Status.choices))
    def get_status(self, secondment: Secondment) -> str:
        status = getattr(secondment, "current_status", None)
        return status or secondment.status_on(timezone.localdate())
