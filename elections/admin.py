"""The Django admin for staff: election observation is read-only here. ODIHR records elections,
activities, reports and recommendations, and focal points their offers, in the portal's pages and
API, through the services (rules, the PDF check of reports, audit, events and e-mails kept)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from elections.models import (
    Election,
    ObservationActivity,
    ObserverOffer,
    OfferedObserver,
    Recommendation,
    RecommendationAssessment,
    Report,
)


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "kind", "date", "round", "is_demo"]
    list_filter = ["kind", "is_demo", "state"]
    list_select_related = ["state"]
    date_hierarchy = "date"


@admin.register(ObservationActivity)
class ObservationActivityAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "opened", "sto_deadline", "closed", "lto_requested", "sto_requested"]
    list_filter = ["kind"]
    list_select_related = ["election", "election__state"]


class OfferedObserverInline(admin.TabularInline):
    model = OfferedObserver
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ObserverOffer)
class ObserverOfferAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "lto", "sto", "offered", "changed"]
    list_filter = ["state"]
    list_select_related = ["activity__election__state", "state"]
    inlines = [OfferedObserverInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "published", "activity"]
    list_filter = ["kind"]
    list_select_related = ["activity__election__state"]


class AssessmentInline(admin.TabularInline):
    """The history: every assessment, added by ``recommendation_assess`` only."""

    model = RecommendationAssessment
    fk_name = "recommendation"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "topic", "report"]
    list_filter = ["status"]
    list_select_related = ["topic", "report"]
    inlines = [AssessmentInline]
