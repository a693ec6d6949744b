"""``/api/v1/open-data/``: the nightly dumps of the public data (``core.opendata``), for anyone.

The listing is the manifest of the dump being served, each file with its address, row count, size
and SHA-256; ``/api/v1/open-data/<resource>.<csv|json>`` is the file itself (its checksum as ETag).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import opendata
from core.errors import NotVisible
from core.schema import PortalAutoSchema


class OpenDataFileSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["csv", "json"])
    file = serializers.CharField()
    url = serializers.URLField()
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()


class OpenDataResourceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The API resource dumped (`/api/v1/<name>/`).")
    rows = serializers.IntegerField()
    files = OpenDataFileSerializer(many=True)


class OpenDataManifestSerializer(serializers.Serializer):
    generated = serializers.DateTimeField(
        allow_null=True, help_text="When the dump was made; null before the first."
    )
    resources = OpenDataResourceSerializer(many=True)


class FirstRenderer(BaseContentNegotiation):
    """The listing is JSON and a file is what it is, whatever the client's ``Accept`` says."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class ManifestSchema(PortalAutoSchema):
    """The listing answers one manifest object, not the array a ``list`` action would suggest."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        # Asked about the answer's serializer: one object. Otherwise (operation id, error answers)
        # it stays the list it is.
        return False if serializer is not None else bool(super()._is_list_view())


EXAMPLE = {
    "generated": "2026-11-30T01:30:00+00:00",
    "resources": [
        {
            "name": "vacancies",
            "rows": 412,
            "files": [
                {
                    "format": "csv",
                    "file": "vacancies.csv",
                    "url": "https://portal.example/api/v1/open-data/vacancies.csv",
                    "bytes": 381204,
                    "sha256": "9f2c0e4b6a1d3c5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e",
                },
                {
                    "format": "json",
                    "file": "vacancies.json",
                    "url": "https://portal.example/api/v1/open-data/vacancies.json",
                    "bytes": 502311,
                    "sha256": "1e3b5d7f9a2c4e6a8b0d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a0c2e",
                },
            ],
        }
    ],
}


@extend_schema_view(
    list=extend_schema(
        summary="Open data: the nightly dumps of the public data",
        description=(
            "Every public resource (States, partners, dimensions, bodies, chairpersonships, delegations, "
            "field operations, projects, vacancies, elections, observation activities, recommendations) "
            "as CSV and JSON, rebuilt every night and replaced whole. Each file with its row count, size "
            "and SHA-256. No nomination, candidate, secondment or observer offer is ever in them."
        ),
        responses={200: OpenDataManifestSerializer},
        examples=[OpenApiExample("A dump", value=EXAMPLE, response_only=True)],
    ),
)
class OpenDataViewSet(viewsets.ViewSet):
    schema = ManifestSchema()
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer
    permission_classes = [AllowAny]  # public (the schema then asks for no credentials)

    def list(self, request: Request) -> Response:
        data = opendata.manifest()
        if data is None:
            return Response({"generated": None, "resources": []})
        for resource in data["resources"]:
            for described in resource["files"]:
                path = reverse("api:open-data-file", kwargs={"name": described["file"]})
                described["url"] = request.build_absolute_uri(path)
        return Response({"generated": data["generated"], "resources": data["resources"]})


class OpenDataFileView(APIView):
    """One file of the current dump, at ``/api/v1/open-data/<resource>.<csv|json>`` (no slash:
    it is a file)."""

    renderer_classes = [JSONRenderer]  # for errors; the file is sent as it is
    content_negotiation_class = FirstRenderer
    permission_classes = [AllowAny]  # public (the schema then asks for no credentials)

    @extend_schema(
        summary="One file of the open-data dump",
        description=(
            "`<resource>.csv` or `<resource>.json`, as the listing names them; its SHA-256 is the ETag."
        ),
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.ANY,
            404: OpenApiResponse(description="No such file in the current dump"),
        },
    )
    def get(self, request: Request, name: str) -> FileResponse:
        found = opendata.file_path(name)
        if found is None:
            raise NotVisible
        path, content_type, sha256 = found
        response = FileResponse(path.open("rb"), content_type=content_type, filename=name)
        response["ETag"] = f'"{sha256}"'
        return response
