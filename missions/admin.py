"""Admin of field operations (with heads, mandate history and figures) and projects (with pledges)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from missions import services
from missions.models import FieldOperation, Figures, HeadOfOperation, MandateEvent, Pledge, Project


class HeadInline(admin.TabularInline):
    model = HeadOfOperation
    extra = 0
    raw_id_fields = ["nationality"]


class MandateEventInline(admin.TabularInline):
    model = MandateEvent
    extra = 0


class FiguresInline(admin.TabularInline):
    model = Figures
    extra = 0
    exclude = ["entered_by"]


@admin.register(FieldOperation)
class FieldOperationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "host_state", "established", "closed"]
    list_filter = ["region", "kind"]
    list_select_related = ["host_state"]
    search_fields = ["name", "slug", "code", "location"]
    raw_id_fields = ["host_state"]
    autocomplete_fields = ["predecessor"]
    filter_horizontal = ["dimensions", "topics"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HeadInline, MandateEventInline, FiguresInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Figures entered here are recorded as the admin's own entry.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Figures):
                instance.entered_by = request.user  # type: ignore[assignment]
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class PledgeInline(admin.TabularInline):
    model = Pledge
    extra = 0
    raw_id_fields = ["state"]
    readonly_fields = ["pledged_by"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "field_operation", "body", "dimension", "status", "budget_eur"]
    list_filter = ["status", "dimension"]
    list_select_related = ["field_operation", "body", "dimension"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["field_operation"]
    inlines = [PledgeInline]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["project", "state", "amount_eur", "date", "received", "received_amount_eur"]
    list_filter = ["received"]
    list_select_related = ["project", "state"]
    search_fields = ["project__title", "state__name", "state__code"]
    raw_id_fields = ["state"]
    autocomplete_fields = ["project"]
    readonly_fields = ["pledged_by"]
    actions = ["record_receipt_today"]

    @admin.action(description=_("Record receipt of the full amount today"))
    def record_receipt_today(self, request: HttpRequest, queryset: QuerySet[Pledge]) -> None:
        done = 0
        for pledge in queryset.filter(received__isnull=True):
            try:
                services.pledge_record_receipt(
                    pledge=pledge, user=request.user, received=timezone.localdate()
                )
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{pledge}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d receipt recorded.", "%(count)d receipts recorded.", done)
                % {"count": done},
                messages.SUCCESS,
            )


@admin.register(MandateEvent)
class MandateEventAdmin(admin.ModelAdmin):
    list_display = ["operation", "kind", "date", "decision", "until"]
    list_filter = ["kind"]
    list_select_related = ["operation"]
    search_fields = ["operation__name", "decision"]
    autocomplete_fields = ["operation"]


@admin.register(Figures)
class FiguresAdmin(admin.ModelAdmin):
    list_display = [
        "operation",
        "as_of",
        "offices",
        "international_seconded",
        "international_contracted",
        "local_staff",
    ]
    list_select_related = ["operation"]
    autocomplete_fields = ["operation"]
    readonly_fields = ["entered_by"]

    def save_model(self, request: HttpRequest, obj: Figures, form: Any, change: bool) -> None:
        obj.entered_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
