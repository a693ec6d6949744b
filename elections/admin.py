"""The Django admin for staff: creations and changes go through the services, so events, audit
entries and reminders follow whichever way an election or activity is entered."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from elections import services
from elections.models import (
    Election,
    ObservationActivity,
    ObserverOffer,
    OfferedObserver,
    Recommendation,
    RecommendationAssessment,
    Report,
    SentNotification,
)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "kind", "date", "round", "is_demo"]
    list_filter = ["kind", "is_demo", "state"]
    date_hierarchy = "date"
    raw_id_fields = ["first_round"]
    readonly_fields = ["is_demo", "created"]

    def save_model(self, request: HttpRequest, obj: Election, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.election_create(
            actor=request.user,
            state=obj.state,
            kind=obj.kind,
            date=obj.date,
            round=obj.round,
            first_round=obj.first_round,
            early=obj.early,
            note=obj.note,
        )
        obj.pk = created.pk
        obj.created = created.created


@admin.register(ObservationActivity)
class ObservationActivityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "opened", "closed", "lto_requested", "sto_requested"]
    list_filter = ["kind"]
    raw_id_fields = ["election"]
    list_select_related = ["election", "election__state"]

    def save_model(self, request: HttpRequest, obj: ObservationActivity, form: Any, change: bool) -> None:
        fields = {name: getattr(obj, name) for name in services.ACTIVITY_FIELDS}
        if change:
            services.activity_update(actor=request.user, activity=obj, **fields)
            return
        created = services.activity_create(actor=request.user, election=obj.election, kind=obj.kind, **fields)
        obj.pk = created.pk


class OfferedObserverInline(admin.TabularInline):
    model = OfferedObserver
    extra = 0


@admin.register(ObserverOffer)
class ObserverOfferAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "lto", "sto", "offered"]
    list_filter = ["state"]
    raw_id_fields = ["activity", "offered_by"]
    inlines = [OfferedObserverInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "published", "activity"]
    list_filter = ["kind"]
    raw_id_fields = ["activity"]


class AssessmentInline(admin.TabularInline):
    """The history is read-only here: a rating is added with ``recommendation_assess``."""

    model = RecommendationAssessment
    fk_name = "recommendation"
    extra = 0
    can_delete = False
    readonly_fields = ["status", "assessed_on", "activity", "note", "assessed_by", "created"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "topic", "report"]
    list_filter = ["status"]
    raw_id_fields = ["report"]
    readonly_fields = ["status"]
    inlines = [AssessmentInline]

    def save_model(self, request: HttpRequest, obj: Recommendation, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.recommendation_add(
            actor=request.user, report=obj.report, text=obj.text, topic=obj.topic, number=obj.number
        )
        obj.pk = created.pk


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "sent"]
    readonly_fields = ["key", "user", "activity", "sent"]
