"""Admin of the secondment cycle (reading and support; writes belong to the services)."""

from django.contrib import admin

from secondments.models import (
    CalendarToken,
    FieldOfExpertise,
    Nomination,
    NominationChange,
    Notification,
    PartnerContact,
    SavedSearch,
    Secondment,
    Vacancy,
)


@admin.register(FieldOfExpertise)
class FieldOfExpertiseAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]


@admin.register(PartnerContact)
class PartnerContactAdmin(admin.ModelAdmin):
    list_display = ["partner", "email"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "status", "deadline", "posts"]
    list_filter = ["status", "appointment", "grade"]
    search_fields = ["reference", "title"]
    readonly_fields = ["reference", "status", "published", "closed"]
    list_select_related = ["field_operation", "body"]


class NominationChangeInline(admin.TabularInline):
    model = NominationChange
    extra = 0
    readonly_fields = ["status", "at", "by", "reason"]
    can_delete = False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["id", "vacancy", "state", "status", "submitted"]
    list_filter = ["status"]
    readonly_fields = ["status", "submitted", "anonymised"]
    inlines = [NominationChangeInline]
    list_select_related = ["vacancy", "state"]


@admin.register(Secondment)
class SecondmentAdmin(admin.ModelAdmin):
    list_display = ["id", "vacancy", "state", "start", "end", "renewals"]
    list_select_related = ["vacancy", "state"]


admin.site.register(SavedSearch)
admin.site.register(Notification)
admin.site.register(CalendarToken)
