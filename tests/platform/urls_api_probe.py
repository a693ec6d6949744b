"""A URLconf for the platform's own API tests: the real frame plus an HR-only write endpoint.

The apps' real endpoints have their own tests; this probe checks the frame (authentication,
permission and error shapes) without depending on any app.
"""

from django.urls import include, path
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import is_hr


class IsHR(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and is_hr(request.user))


class ProbeSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=20)
    posts = serializers.IntegerField(min_value=1)


class Probe(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsHR]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})

    def post(self, request: Request) -> Response:
        serializer = ProbeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)

    def get_permissions(self):  # type: ignore[no-untyped-def]
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()


urlpatterns = [
    path("api/v1/probe/", Probe.as_view()),
    path("", include("osce_portal.urls")),
]
handler404 = "core.views.not_found"
