from django.contrib import admin

from accounts.models import ApiToken, FocalPoint, LoginFailure


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "state"]
    list_select_related = ["user", "state"]
    search_fields = ["user__username", "state__name", "state__code"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created", "expires", "revoked", "last_used"]
    list_select_related = ["user"]
    readonly_fields = ["digest", "hint", "created", "last_used"]
    search_fields = ["user__username", "name", "hint"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        # Tokens are created by `create_token` or on the user's page, where the raw token is shown once.
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "last_failure", "locked_until"]
    search_fields = ["username"]
