"""The exports' tests share one of everything the pages show, and a German nomination."""

from __future__ import annotations

from typing import Any

import pytest

from states.models import State
from tests.platform.pages import portal_pages
from tests.secondments.factories import NominationFactory


@pytest.fixture
def data(alice: Any, bob: Any, carol: Any, dave: Any) -> dict[str, Any]:
    made = portal_pages(alice=alice, bob=bob, dave=dave)
    germany = State.objects.get(code="DE")
    # Germany's nomination: Austria's focal point must never see it, in any export.
    made["german"] = NominationFactory(
        vacancy=made["vacancy"], state=germany, nationality=germany, family_name="Schmidt-Geheim"
    )
    return made
