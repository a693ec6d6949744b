"""The admin is for staff maintenance. Two kinds of model admin:

- ``ReadOnlyAdmin`` for the domain's records whose every change goes through a service (vacancies,
  nominations, secondments, projects, elections...): the admin shows them; its actions, where
  there are any, call the services with the staff member as the actor (rules, permissions and
  audit kept). People do this work in the portal's pages.
- ``AuditedAdmin`` for reference data maintained by staff (States, bodies, operations...): each
  save or delete writes an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from core.audit import audit_record
from core.errors import PortalError
from core.models import AuditEntry, Heartbeat, Notification, PendingTask


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records whose changes belong to the services; no add, change or delete here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def run_service(self, request: HttpRequest, objects: Iterable[Any], call: Callable[[Any], Any]) -> None:
        """An admin action: ``call(obj)`` (a service, with ``request.user`` as the actor) for each
        object; refusals are listed, nothing is forced."""
        done = 0
        for obj in objects:
            try:
                call(obj)
            except PortalError as error:
                self.message_user(request, f"{obj}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} ✓", messages.SUCCESS)


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for each object saved or deleted through the admin."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="admin.changed" if change else "admin.added",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit_record(actor=request.user, action="admin.deleted", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_record(actor=request.user, action="admin.deleted", target=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The trail is written by services only."""

    list_display = ["at", "actor", "action", "target_type", "target_id", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "target_repr", "reason"]
    list_select_related = ["actor"]
    date_hierarchy = "at"


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "at", "count"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by ``core.mail.mail_send`` only: what was sent to whom, once."""

    list_display = ["sent", "template", "key", "user", "language", "subject"]
    list_filter = ["template", "language"]
    search_fields = ["key", "subject", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "sent"


@admin.register(PendingTask)
class PendingTaskAdmin(ReadOnlyAdmin):
    """Tasks waiting for the broker: a growing list means Redis or the relay is down."""

    list_display = ["name", "args", "created"]
