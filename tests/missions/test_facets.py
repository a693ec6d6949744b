"""Counts beside the filter choices of /missions/, /projects/ and /elections/ (issue 11 part 5)."""

from __future__ import annotations

import datetime
import re

from django.test import Client

from elections.models import Election
from missions.models import FieldOperation
from tests.missions.factories import ProjectFactory


def _options(page: str, name: str) -> dict[str, str]:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def test_missions_count_by_region_under_the_other_filters(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    total = FieldOperation.objects.filter(region="central-asia").count()
    page = client.get("/missions/").content.decode()
    assert _options(page, "region")["central-asia"].endswith(f"({total})")
    active = FieldOperation.objects.filter(region="central-asia", closed__isnull=True).count()
    page = client.get("/missions/?status=active").content.decode()
    assert _options(page, "region")["central-asia"].endswith(f"({active})")
    assert _options(page, "host_state")["KZ"].endswith("(1)")


def test_projects_count_by_status(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    ProjectFactory(status="approved")
    ProjectFactory(status="approved")
    ProjectFactory(status="completed")
    statuses = _options(client.get("/projects/").content.decode(), "status")
    assert statuses["approved"].endswith("(2)") and statuses["completed"].endswith("(1)")


def test_elections_count_by_kind(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    Election.objects.create(state_id="KZ", kind="presidential", date=datetime.date(2022, 11, 20))
    Election.objects.create(state_id="KZ", kind="parliamentary", date=datetime.date(2023, 3, 19))
    page = client.get("/elections/?state=KZ").content.decode()
    assert _options(page, "kind")["presidential"].endswith("(1)")
    assert _options(page, "state")["KZ"].endswith("(2)")
