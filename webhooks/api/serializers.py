from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from webhooks.models import Delivery, EventName, Webhook


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Subscribe to vacancy events",
            value={
                "url": "https://hr.ministry.example/osce-hook",
                "events": ["vacancy.published", "vacancy.extended"],
                "secret": "a-long-random-shared-secret",
            },
            request_only=True,
        )
    ]
)
class WebhookSerializer(serializers.ModelSerializer):
    """``url`` is the address that receives the events (the contract's field); ``self`` is the
    webhook's own API address."""

    self = serializers.HyperlinkedIdentityField(view_name="api:webhook-detail")
    url = serializers.URLField(source="target", max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventName.choices), allow_empty=False
    )
    # Any non-blank shared secret: the contract sets no length, and the HMAC works with any.
    secret = serializers.CharField(write_only=True, min_length=1, max_length=200)
    deliveries = serializers.HyperlinkedIdentityField(view_name="api:webhook-deliveries")

    class Meta:
        model = Webhook
        fields = ["self", "id", "url", "events", "secret", "active", "created", "deliveries"]
        read_only_fields = ["id", "active", "created"]


class DeliverySerializer(serializers.ModelSerializer):
    """One event's delivery to the webhook: the last attempt's time, answer and outcome."""

    event = serializers.CharField(source="event.name")
    occurred = serializers.DateTimeField(source="event.occurred")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "occurred",
            "status",
            "attempts",
            "response_status",
            "error",
            "created",
            "last_attempt",
            "delivered",
        ]
        extra_kwargs = {
            "response_status": {"help_text": "The HTTP status of the last answer; null when none came."},
            "error": {
                "help_text": (
                    "Why the last attempt failed, in short: `connection refused`, `timed out`, "
                    "`TLS error`, `host did not resolve`, `address not allowed`, "
                    "`redirect not followed`, `HTTP 500`…; empty once delivered."
                )
            },
            "last_attempt": {"help_text": "When the last attempt was made; null before the first."},
        }
