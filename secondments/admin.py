"""Admin of the secondment cycle: staff read here; changes go through the services (the pages do
the work). The actions call the services with the staff member as the actor, so the rules, the
permissions (HR only) and the audit trail are kept."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin, ReadOnlyAdmin
from secondments import services
from secondments.models import (
    CalendarToken,
    FieldOfExpertise,
    Nomination,
    NominationChange,
    PartnerContact,
    Person,
    PersonEmail,
    SavedSearch,
    Secondment,
    Vacancy,
)


@admin.register(FieldOfExpertise)
class FieldOfExpertiseAdmin(AuditedAdmin):
    list_display = ["slug", "name"]


@admin.register(PartnerContact)
class PartnerContactAdmin(AuditedAdmin):
    list_display = ["partner", "email"]


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "status", "deadline", "posts"]
    list_filter = ["status", "appointment", "grade"]
    search_fields = ["reference", "title"]
    list_select_related = ["field_operation", "body"]
    actions = ["publish", "close"]

    @admin.action(description=_("Publish the selected drafts (HR)"))
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        self.run_service(
            request, queryset, lambda vacancy: services.vacancy_publish(actor=request.user, vacancy=vacancy)
        )

    @admin.action(description=_("Close the selected vacancies to nominations (HR)"))
    def close(self, request: HttpRequest, queryset: Any) -> None:
        self.run_service(
            request, queryset, lambda vacancy: services.vacancy_close(actor=request.user, vacancy=vacancy)
        )


class NominationChangeInline(admin.TabularInline):
    model = NominationChange
    extra = 0
    readonly_fields = ["status", "at", "by", "reason"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["id", "vacancy", "state", "partner", "status", "submitted"]
    list_filter = ["status"]
    inlines = [NominationChangeInline]
    list_select_related = ["vacancy", "state", "partner"]


@admin.register(Secondment)
class SecondmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "vacancy", "state", "partner", "start", "end", "renewals"]
    list_select_related = ["vacancy", "state", "partner"]


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 0


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["id", "family_name", "given_name", "created"]
    search_fields = ["family_name", "given_name", "emails__email"]
    inlines = [PersonEmailInline]


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "frequency", "created"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "created", "revoked"]
