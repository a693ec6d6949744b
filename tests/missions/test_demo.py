"""generate_demo_data: synthetic projects and pledges, marked as demo, reproducible, replacing the
previous demo rows and leaving real projects alone."""

from __future__ import annotations

import datetime
import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from django.utils import timezone

from missions import demo
from missions.models import Pledge, Project
from states.models import Body, Dimension, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db: None) -> None:
    call_command("load_reference_data", stdout=StringIO())


def snapshot() -> list[tuple]:
    return list(
        Project.objects.filter(is_demo=True)
        .order_by("pk")
        .values_list(
            "title", "field_operation_id", "body_id", "budget_eur", "status", "starts", "ends", "created"
        )
    )


def test_demo_projects(reference: None) -> None:
    out = StringIO()
    call_command("generate_demo_data", "--scale", "0.5", stdout=out)
    assert "projects 50/50" in out.getvalue()
    projects = Project.objects.all()
    assert projects.count() == 50
    assert not projects.filter(is_demo=False).exists()
    assert all(title.startswith("[DEMO] ") for title in projects.values_list("title", flat=True))
    assert projects.filter(field_operation__isnull=False).exists()
    assert projects.filter(body__isnull=False).exists()
    assert len(set(projects.values_list("status", flat=True))) >= 4
    today = timezone.localdate()
    assert not projects.filter(status="completed", ends__gt=today).exists()
    assert not projects.filter(status="ongoing").filter(Q(starts__gt=today) | Q(ends__lte=today)).exists()
    # Projects of a field operation run while it is active.
    for project in projects.filter(field_operation__isnull=False).select_related("field_operation"):
        assert project.field_operation is not None and project.starts is not None
        assert project.field_operation.is_active(project.starts)
    pledges = Pledge.objects.all()
    assert pledges.exists()
    participating = set(State.objects.participating(today).values_list("code", flat=True))
    assert set(pledges.values_list("state_id", flat=True)) <= participating
    assert not pledges.filter(date__gt=today).exists()
    assert not pledges.filter(received__lt=F("date")).exists()
    assert not pledges.filter(received__gt=today).exists()


def test_reproducible_and_replaced(reference: None) -> None:
    real = Project.objects.create(
        title="Real project",
        body=Body.objects.order_by("slug").first(),
        dimension=Dimension.objects.get(slug="human"),
        budget_eur=1000,
    )
    call_command("generate_demo_data", "--scale", "0.3", stdout=StringIO())
    first = snapshot()
    call_command("generate_demo_data", "--scale", "0.3", stdout=StringIO())
    assert snapshot() == first
    assert Project.objects.filter(is_demo=True).count() == 30
    assert Project.objects.filter(pk=real.pk, is_demo=False).exists()


def test_demo_project_page(reference: None, client: Any) -> None:
    call_command("generate_demo_data", "--scale", "0.1", stdout=StringIO())
    project = Project.objects.filter(is_demo=True).first()
    assert project is not None
    page = client.get(project.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>[DEMO] " in html
    assert "[DEMO] Synthetic data" in html
    listing = client.get("/projects/")
    assert listing.status_code == 200
    assert "[DEMO]" in listing.content.decode()


def test_generate_without_reference_data(db: None) -> None:
    assert "load_reference_data" in demo.generate(scale=1, rng=random.Random(1))[0]
    assert not Project.objects.exists()


def test_integer_scale_still_works_and_bad_scales_refused(db: None) -> None:
    out = StringIO()
    call_command("generate_demo_data", "--scale", "2", stdout=out)
    assert "scale 2," in out.getvalue()
    for bad in ("0", "-1", "nan"):
        with pytest.raises(CommandError):
            call_command("generate_demo_data", "--scale", bad, stdout=StringIO())


def test_old_projects_created_in_the_past(reference: None) -> None:
    call_command("generate_demo_data", "--scale", "0.2", stdout=StringIO())
    completed = Project.objects.filter(status="completed").first()
    assert completed is not None
    assert completed.created < timezone.now() - datetime.timedelta(days=1)
