"""Admin of field operations (with heads, mandate history and figures) and projects (with pledges)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin, ReadOnlyAdmin
from missions import services
from missions.models import FieldOperation, Figures, HeadOfOperation, MandateEvent, Pledge, Project


class HeadInline(admin.TabularInline):
    model = HeadOfOperation
    extra = 0
    raw_id_fields = ["nationality"]


class MandateEventInline(admin.TabularInline):
    model = MandateEvent
    extra = 0


@admin.register(FieldOperation)
class FieldOperationAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "region", "host_state", "established", "closed"]
    list_filter = ["region", "kind"]
    list_select_related = ["host_state"]
    search_fields = ["name", "slug", "code", "location"]
    raw_id_fields = ["host_state"]
    autocomplete_fields = ["predecessor"]
    filter_horizontal = ["dimensions", "topics"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HeadInline, MandateEventInline]


class PledgeInline(admin.TabularInline):
    model = Pledge
    extra = 0


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "field_operation", "body", "dimension", "status", "budget_eur"]
    list_filter = ["status", "dimension"]
    list_select_related = ["field_operation", "body", "dimension"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["field_operation"]
    inlines = [PledgeInline]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["project", "state", "amount_eur", "date", "received", "received_amount_eur"]
    list_filter = ["received"]
    list_select_related = ["project", "state"]
    search_fields = ["project__title", "state__name", "state__code"]
    actions = ["record_receipt_today"]

    @admin.action(description=_("Record receipt of the full amount today (HR)"))
    def record_receipt_today(self, request: HttpRequest, queryset: QuerySet[Pledge]) -> None:
        self.run_service(
            request,
            queryset.filter(received__isnull=True),
            lambda pledge: services.pledge_record_receipt(
                actor=request.user, pledge=pledge, received=timezone.localdate()
            ),
        )


@admin.register(MandateEvent)
class MandateEventAdmin(AuditedAdmin):
    list_display = ["operation", "kind", "date", "decision", "until"]
    list_filter = ["kind"]
    list_select_related = ["operation"]
    search_fields = ["operation__name", "decision"]
    autocomplete_fields = ["operation"]


@admin.register(Figures)
class FiguresAdmin(ReadOnlyAdmin):
    list_display = [
        "operation",
        "as_of",
        "offices",
        "international_seconded",
        "international_contracted",
        "local_staff",
    ]
    list_select_related = ["operation"]
