"""The OpenAPI document describes the organisation's resources and their filters."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator


def test_the_schema_documents_states_and_their_filters(db: None) -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in (
        "/api/v1/states/",
        "/api/v1/states/{code}/",
        "/api/v1/partners/{code}/",
        "/api/v1/dimensions/{slug}/",
        "/api/v1/bodies/{slug}/",
        "/api/v1/chairpersonships/{year}/",
        "/api/v1/delegations/{state}/",
    ):
        assert path in paths, path
    parameters = {p["name"]: p for p in paths["/api/v1/states/"]["get"]["parameters"]}
    assert parameters["as_of"]["schema"] == {"type": "string", "format": "date"}
    assert "search" in parameters
    state = schema["components"]["schemas"]["State"]["properties"]
    assert state["chairpersonship_years"]["type"] == "array"
    assert state["participating"]["type"] == "boolean"
    delegation = schema["components"]["schemas"]["Delegation"]["properties"]
    assert set(delegation) == {"url", "state", "head", "address", "members"}
