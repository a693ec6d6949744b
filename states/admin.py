"""Admin of the organisation's reference data and of the permanent missions.

Reference facts are loaded by ``load_reference_data`` (which would overwrite an edit here on its
next run), so they are shown read-mostly; the permanent missions' people are entered here by their
administrations. Every change made here is written to the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from core.admin import AuditedAdmin
from core.audit import audit_record
from states.models import Body, Chairpersonship, Delegation, Dimension, Diplomat, Partner, State, Topic


@admin.register(State)
class StateAdmin(AuditedAdmin):
    list_display = ["name", "code", "iso_alpha3", "joined", "joined_precision", "left", "successor"]
    list_filter = ["joined_precision"]
    search_fields = ["name", "code", "iso_alpha3"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ["name", "code", "group", "since"]
    list_filter = ["group"]
    search_fields = ["name", "code"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(AuditedAdmin):
    list_display = ["name", "slug", "order"]
    inlines = [TopicInline]


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["name", "slug", "dimension"]
    list_filter = ["dimension"]
    list_select_related = ["dimension"]
    search_fields = ["name", "slug"]


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["name", "slug", "kind", "seat", "established"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(Chairpersonship)
class ChairpersonshipAdmin(AuditedAdmin):
    list_display = ["year", "state"]
    list_select_related = ["state"]
    autocomplete_fields = ["state"]
    search_fields = ["state__name", "state__code"]


class DiplomatInline(admin.TabularInline):
    model = Diplomat
    extra = 1
    fields = ["order", "name", "title", "bodies"]
    autocomplete_fields = ["bodies"]


@admin.register(Delegation)
class DelegationAdmin(AuditedAdmin):
    list_display = ["state", "head_name", "head_title"]
    list_select_related = ["state"]
    search_fields = ["state__name", "state__code", "head_name"]
    autocomplete_fields = ["state"]
    inlines = [DiplomatInline]

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_record(
                actor=request.user,
                action="delegation.members_changed",
                target=form.instance,
                data={
                    "added": len(formset.new_objects),
                    "changed": len(formset.changed_objects),
                    "deleted": len(formset.deleted_objects),
                },
            )
