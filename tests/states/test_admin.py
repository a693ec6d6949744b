"""The admin: permanent missions are edited with their diplomats inline, and audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.models import AuditEntry
from states.models import Body, Delegation


@pytest.fixture
def admin_client_(db: None) -> Client:
    user = get_user_model().objects.create_superuser(
        "root", "root@example.org", "correct horse battery staple"
    )
    client = Client()
    client.force_login(user)
    return client


def test_a_mission_s_people_are_entered_in_the_admin(reference: str, admin_client_: Client) -> None:
    delegation = Delegation.objects.get(state_id="AT")
    council = Body.objects.get(slug="permanent-council")
    url = f"/admin/states/delegation/{delegation.pk}/change/"
    assert admin_client_.get(url).status_code == 200

    response = admin_client_.post(
        url,
        {
            "state": "AT",
            "head_name": "A. Example",
            "head_title": "Ambassador",
            "address": "Example Street 1, 1010 Vienna",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
            "members-0-order": "1",
            "members-0-name": "B. Example",
            "members-0-title": "Counsellor",
            "members-0-bodies": [str(council.pk)],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    delegation.refresh_from_db()
    assert delegation.head_name == "A. Example"
    member = delegation.members.get()
    assert list(member.bodies.values_list("slug", flat=True)) == ["permanent-council"]
    actions = set(AuditEntry.objects.filter(target_type="states.delegation").values_list("action", flat=True))
    assert actions == {"admin.changed", "delegation.members_changed"}


@pytest.mark.parametrize(
    "model", ["state", "partner", "dimension", "topic", "body", "chairpersonship", "delegation"]
)
def test_admin_lists(reference: str, admin_client_: Client, model: str) -> None:
    assert admin_client_.get(f"/admin/states/{model}/").status_code == 200
    assert admin_client_.get(f"/admin/states/{model}/?q=a").status_code == 200
