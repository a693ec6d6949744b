"""The admin of the missions app: every page opens, and the receipt action goes through the service."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.services import role_grant
from missions.models import Pledge
from tests.missions.factories import FiguresFactory, HeadFactory, MandateEventFactory, PledgeFactory


@pytest.fixture
def admin_client_hr(client, db):  # type: ignore[no-untyped-def]
    user, _ = role_grant(username="root", role="hr")
    get_user_model().objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


def test_admin_pages_open(admin_client_hr) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory()
    operation = pledge.project.field_operation
    FiguresFactory(operation=operation)
    HeadFactory(operation=operation)
    MandateEventFactory(operation=operation)
    for model in ("fieldoperation", "project", "pledge", "figures", "mandateevent"):
        assert admin_client_hr.get(f"/admin/missions/{model}/").status_code == 200
    # Reference data is maintained here; projects, pledges and figures only through the services
    # (the pages), so the admin shows them and adds none.
    for model in ("fieldoperation", "mandateevent"):
        assert admin_client_hr.get(f"/admin/missions/{model}/add/").status_code == 200
    for model in ("project", "pledge", "figures"):
        assert admin_client_hr.get(f"/admin/missions/{model}/add/").status_code == 403
    assert admin_client_hr.get(f"/admin/missions/fieldoperation/{operation.pk}/change/").status_code == 200
    assert admin_client_hr.get(f"/admin/missions/project/{pledge.project_id}/change/").status_code == 200


def test_admin_action_records_receipts(admin_client_hr) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory()
    response = admin_client_hr.post(
        "/admin/missions/pledge/",
        {"action": "record_receipt_today", "_selected_action": [pledge.pk]},
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(pk=pledge.pk)
    assert pledge.received is not None
    assert pledge.received_amount_eur == pledge.amount_eur
