from django.contrib import admin

from webhooks.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["target", "user", "events", "active", "created"]
    list_filter = ["active"]
    list_select_related = ["user"]
    exclude = ["secret"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "webhook", "status", "attempts", "response_status", "last_attempt"]
    list_filter = ["status"]
    list_select_related = ["event", "webhook"]
