from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.typing import logged_in_user
from core.api import FieldSelectionMixin
from webhooks import services
from webhooks.api.serializers import DeliverySerializer, WebhookSerializer
from webhooks.models import Delivery, Webhook


class WebhookViewSet(
    FieldSelectionMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your webhooks: each user sees and manages only their own.

    Each delivery is a POST of `{"event", "occurred", "data"}` with the header
    `X-Portal-Signature: sha256=<hex HMAC-SHA256 of the raw body under the secret>`, retried with
    backoff. `nomination.status_changed` reaches only subscribers allowed to see that nomination.
    """

    serializer_class = WebhookSerializer
    field_selection_actions = ("list", "retrieve", "deliveries")
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Webhook]:
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return Webhook.objects.filter(user=logged_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.webhook_create(
            user=logged_in_user(self.request),
            url=data["target"],
            events=data["events"],
            secret=data["secret"],
        )

    def perform_destroy(self, instance: Webhook) -> None:
        services.webhook_delete(webhook=instance, actor=logged_in_user(self.request))

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=DeliverySerializer)
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """Delivery attempts of this webhook and their outcomes, newest first."""
        webhook = self.get_object()
        queryset = Delivery.objects.filter(webhook=webhook).select_related("event")
        page = self.paginate_queryset(queryset)
        serializer = DeliverySerializer(page, many=True)
        return self.get_paginated_response(self.select_fields(serializer).data)

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.get_serializer(serializer.instance).data, status=status.HTTP_201_CREATED)
