"""A focal point keeps its mission's list of diplomats (issue 11 item 1): add, edit and remove
members on the delegation page, without JavaScript, through ``delegation_update`` (one door)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from core.errors import Invalid, LoginRequired, NotAllowed, NotVisible
from core.models import AuditEntry
from states import services
from states.models import Body, Delegation, Diplomat, State
from states.services import MemberData
from tests.states.factories import BodyFactory, DiplomatFactory

URL = "/states/AT/delegation/"


@pytest.fixture
def mission(austria: State) -> Delegation:
    return Delegation.objects.get_or_create(state=austria, defaults={"head_name": "Anna Beispiel"})[0]


@pytest.fixture
def council(db: None) -> Body:
    return BodyFactory(slug="permanent-council", name="Permanent Council")


@pytest.fixture
def forum(db: None) -> Body:
    return BodyFactory(slug="fsc", name="Forum for Security Co-operation")


def diplomat(mission: Delegation, name: str, title: str = "", bodies: tuple[Body, ...] = ()) -> Diplomat:
    return DiplomatFactory(delegation=mission, name=name, title=title, bodies=list(bodies))


def checked(page: str, slug: str) -> bool:
    return bool(re.search(rf'<input type="checkbox"[^>]* value="{slug}"[^>]* checked', page))


def update(actor: Any, mission: Delegation, members: list[MemberData]) -> Delegation:
    return services.delegation_update(
        actor=actor,
        delegation=mission,
        head_name=mission.head_name,
        head_title=mission.head_title,
        address=mission.address,
        members=members,
    )


def listed(mission: Delegation) -> list[tuple[str, str, list[str]]]:
    return [
        (member.name, member.title, sorted(body.slug for body in member.bodies.all()))
        for member in mission.members.prefetch_related("bodies")
    ]


# The service: the rules and the refusals.


def test_the_service_adds_edits_and_removes_members_and_audits_them_by_name(
    bob: Any, mission: Delegation, council: Body, forum: Body
) -> None:
    kept = diplomat(mission, "Karl Kept", "Counsellor", (council,))
    edited = diplomat(mission, "Eva Edited", "Attaché")
    gone = diplomat(mission, "Rudi Removed")
    update(
        bob,
        mission,
        [
            MemberData(id=kept.pk, name="Karl Kept", title="Counsellor", bodies=["permanent-council"]),
            MemberData(id=edited.pk, name=" Eva Edited ", title="First Secretary", bodies=["fsc"]),
            MemberData(name="Nina New", title="Adviser", bodies=["fsc", "permanent-council"]),
        ],
    )
    assert listed(mission) == [
        ("Karl Kept", "Counsellor", ["permanent-council"]),
        ("Eva Edited", "First Secretary", ["fsc"]),
        ("Nina New", "Adviser", ["fsc", "permanent-council"]),  # new members join the end
    ]
    assert not Diplomat.objects.filter(pk=gone.pk).exists()
    entry = AuditEntry.objects.get(action="delegation.updated")
    assert entry.data == {
        "members": {"added": ["Nina New"], "changed": ["Eva Edited"], "removed": ["Rudi Removed"]}
    }


def test_none_leaves_the_members_alone_and_an_empty_list_removes_them(bob: Any, mission: Delegation) -> None:
    diplomat(mission, "Karl Kept")
    services.delegation_update(actor=bob, delegation=mission, head_name="B", head_title="", address="")
    assert mission.members.count() == 1
    update(bob, mission, [])
    assert mission.members.count() == 0


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (MemberData(name="  "), "Member 2: give a name."),
        (MemberData(name="x" * 151), "Member 2: Ensure this value has at most 150 characters"),
        (MemberData(name="Nina", bodies=["no-such-body"]), "Member 2: unknown bodies: no-such-body."),
    ],
)
def test_the_service_refuses_bad_members_and_writes_nothing(
    bob: Any, mission: Delegation, council: Body, member: MemberData, message: str
) -> None:
    kept = diplomat(mission, "Karl Kept")
    with pytest.raises(Invalid) as error:
        update(bob, mission, [MemberData(id=kept.pk, name="Karl Renamed"), member])
    assert any(text.startswith(message) for text in error.value.errors["members"]), error.value.errors
    assert listed(mission) == [("Karl Kept", "", [])]
    assert not AuditEntry.objects.filter(action="delegation.updated").exists()


def test_another_mission_s_member_is_neither_moved_nor_changed(
    bob: Any, mission: Delegation, germany: State
) -> None:
    german = DiplomatFactory(delegation=Delegation.objects.create(state=germany), name="Greta German")
    mine = diplomat(mission, "Karl Kept")
    for members in (
        [MemberData(id=german.pk, name="Stolen")],
        [MemberData(id=mine.pk, name="Twice"), MemberData(id=mine.pk, name="Twice again")],
    ):
        with pytest.raises(Invalid, match="not a member of this mission"):
            update(bob, mission, members)
    german.refresh_from_db()
    assert (german.delegation.state_id, german.name) == ("DE", "Greta German")
    assert listed(mission) == [("Karl Kept", "", [])]


def test_only_the_state_s_own_focal_point_may(
    alice: Any, carol: Any, dave: Any, erin: Any, mission: Delegation
) -> None:
    diplomat(mission, "Karl Kept")
    with pytest.raises(NotVisible):
        update(carol, mission, [])
    for user in (alice, dave, erin):
        with pytest.raises(NotAllowed):
            update(user, mission, [])
    with pytest.raises(LoginRequired):
        update(AnonymousUser(), mission, [])
    assert mission.members.count() == 1


# The page, through the client.


def page_data(mission: Delegation, rows: list[dict[str, Any]], initial: int, **head: str) -> dict[str, Any]:
    """The delegation form as a browser posts it: the head's fields, the management form, the rows."""
    data: dict[str, Any] = {
        "head_name": mission.head_name,
        "head_title": mission.head_title,
        "address": mission.address,
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "200",
        **head,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"members-{index}-{name}"] = value
    return data


def test_the_page_lists_members_with_remove_boxes_and_empty_rows(
    client: Client, bob: Any, mission: Delegation, council: Body
) -> None:
    diplomat(mission, "Karl Kept", "Counsellor", (council,))
    client.force_login(bob)
    page = client.get(URL).content.decode()
    assert 'name="members-TOTAL_FORMS" value="4"' in page  # one member and three empty rows
    assert 'value="Karl Kept"' in page and "<legend>Karl Kept</legend>" in page
    assert 'name="members-0-DELETE"' in page and 'name="members-1-DELETE"' not in page
    assert '<label for="id_members-0-DELETE">' in page
    assert checked(page, "permanent-council")
    assert "New member (2)" in page


def test_the_page_adds_edits_and_removes(
    client: Client, bob: Any, mission: Delegation, council: Body, forum: Body
) -> None:
    kept = diplomat(mission, "Karl Kept", "Counsellor", (council,))
    gone = diplomat(mission, "Rudi Removed")
    client.force_login(bob)
    rows = [
        {"id": kept.pk, "name": "Karl Kept", "title": "Minister Counsellor", "bodies": ["fsc"]},
        {"id": gone.pk, "name": "Rudi Removed", "title": "", "DELETE": "on"},
        {"id": "", "name": "Nina New", "title": "Adviser", "bodies": ["permanent-council"]},
        {"id": "", "name": "", "title": ""},  # an empty row is no member
    ]
    response = client.post(URL, page_data(mission, rows, initial=2))
    assert response.status_code == 302 and response["Location"] == "/states/AT/"
    assert listed(mission) == [
        ("Karl Kept", "Minister Counsellor", ["fsc"]),
        ("Nina New", "Adviser", ["permanent-council"]),
    ]
    state_page = client.get("/states/AT/").content.decode()
    assert "Nina New" in state_page and "Rudi Removed" not in state_page
    assert AuditEntry.objects.get(action="delegation.updated").data["members"] == {
        "added": ["Nina New"],
        "changed": ["Karl Kept"],
        "removed": ["Rudi Removed"],
    }


def test_bad_input_shows_the_errors_and_loses_nothing(
    client: Client, bob: Any, mission: Delegation, council: Body
) -> None:
    kept = diplomat(mission, "Karl Kept")
    client.force_login(bob)
    rows = [
        {"id": kept.pk, "name": "", "title": "Counsellor"},  # a member's name cleared
        {"id": "", "name": "", "title": "Adviser", "bodies": ["permanent-council"]},  # no name
    ]
    response = client.post(URL, page_data(mission, rows, initial=1, address="Zelinkagasse 2"))
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("This field is required.") >= 2 and 'role="alert"' in page
    # What was typed is still there, to correct.
    assert "Zelinkagasse 2" in page and 'value="Counsellor"' in page and 'value="Adviser"' in page
    assert checked(page, "permanent-council")
    assert listed(mission) == [("Karl Kept", "", [])]
    mission.refresh_from_db()
    assert mission.address == ""


def test_a_refusal_of_the_service_shows_on_the_page(
    client: Client, bob: Any, mission: Delegation, germany: State
) -> None:
    german = DiplomatFactory(delegation=Delegation.objects.create(state=germany), name="Greta German")
    client.force_login(bob)
    rows = [{"id": german.pk, "name": "Stolen", "title": ""}]  # a tampered hidden id
    response = client.post(URL, page_data(mission, rows, initial=1))
    assert response.status_code == 400
    assert "not a member of this mission" in response.content.decode()
    german.refresh_from_db()
    assert german.name == "Greta German"


def test_a_post_without_the_rows_leaves_the_members(client: Client, bob: Any, mission: Delegation) -> None:
    diplomat(mission, "Karl Kept")
    client.force_login(bob)
    response = client.post(URL, {"head_name": "Anna Beispiel", "head_title": "", "address": "Wien"})
    assert response.status_code == 302
    assert listed(mission) == [("Karl Kept", "", [])]


def test_another_state_s_focal_point_gets_404_and_anonymous_logs_in(
    client: Client, carol: Any, mission: Delegation
) -> None:
    kept = diplomat(mission, "Karl Kept")
    data = page_data(mission, [{"id": kept.pk, "name": "Changed", "title": ""}], initial=1)
    response = client.post(URL, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(carol)
    assert client.get(URL).status_code == 404
    assert client.post(URL, data).status_code == 404
    assert listed(mission) == [("Karl Kept", "", [])]


def test_the_page_s_queries_do_not_grow_with_the_members(
    client: Client, bob: Any, mission: Delegation, council: Body, forum: Body, django_assert_num_queries: Any
) -> None:
    client.force_login(bob)
    # Session and user (2); the mission with its State (1); the user's roles (2); the members and
    # their bodies (2); the bodies for the boxes (1).
    for count in (1, 5):
        while mission.members.count() < count:
            DiplomatFactory(delegation=mission, bodies=[council, forum])
        with django_assert_num_queries(8):
            assert client.get(URL).status_code == 200
