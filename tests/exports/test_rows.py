"""``core.exports.rows``: every row, a chunk at a time, with or without server-side cursors."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import exports
from states.models import State
from tests.conftest import make_state


@pytest.fixture
def states(db: None) -> list[State]:
    return [make_state(f"Q{letter}", f"State {letter}") for letter in "ABCDEFGHIJKLMNOPQ"]


@pytest.mark.parametrize("server_side", [True, False])
def test_every_row_in_order_a_chunk_at_a_time(
    states: list[State], monkeypatch: pytest.MonkeyPatch, server_side: bool
) -> None:
    # Behind PgBouncer (DB_DISABLE_SERVER_SIDE_CURSORS) there is no server-side cursor: ordered
    # slices of the chunk's size instead, so memory stays bounded all the same.
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side)
    queryset = State.objects.filter(code__startswith="Q").order_by("-name")
    with CaptureQueriesContext(connection) as queries:
        got = [state.code for state in exports.rows(queryset, chunk_size=5)]
    assert got == [state.code for state in sorted(states, key=lambda s: s.name, reverse=True)]
    selects = [query["sql"] for query in queries.captured_queries if "states_state" in query["sql"]]
    if server_side:
        assert len(selects) == 1  # one cursor, read 5 rows at a time
    else:
        assert len(selects) == 4  # 5 + 5 + 5 + 2 rows
        assert all("LIMIT 5" in sql for sql in selects)


def test_an_unordered_queryset_is_read_in_key_order(states: list[State]) -> None:
    # Slices (and resumable reads) need a stable order: the primary key when none is given.
    with CaptureQueriesContext(connection) as queries:
        got = [
            state.pk
            for state in exports.rows(State.objects.filter(code__startswith="Q").order_by(), chunk_size=4)
        ]
    assert got == sorted(got)
    assert 'ORDER BY "states_state"."code" ASC' in queries.captured_queries[0]["sql"]


def test_cells() -> None:
    lines = list(
        exports.csv_lines(
            ["a", "b.c", "d", "e", "f"],
            [{"a": "=1+2", "b": {"c": "-x"}, "d": ["en", "fr"], "e": None, "f": True}, {"a": 3}],
        )
    )
    assert lines == ["a,b.c,d,e,f\r\n", '\'=1+2,\'-x,"[""en"",""fr""]",,true\r\n', "3,,,,\r\n"]
    assert list(exports.csv_lines(["a"], [], bom=True)) == ["\ufeffa\r\n"]


def test_formula_starts() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert list(exports.csv_lines(["a"], [{"a": start + "x"}]))[1].startswith(("'", "\"'"))
    assert list(exports.csv_lines(["a"], [{"a": -5}]))[1] == "-5\r\n"  # a number is no formula


def test_filename(rf: Any) -> None:
    assert exports.export_filename(rf.get("/api/v1/vacancies/")).startswith("vacancies-")
    assert exports.export_filename(rf.get("/elections/offers/?format=csv")).startswith("offers-")
