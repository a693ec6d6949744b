"""Synthetic extra-budgetary projects and pledges for load tests and screenshots
(``generate_demo_data``). Every project made here has ``is_demo=True`` and a title starting with
"[DEMO]"; its page says it is synthetic, and its pledges go with it.

Rows are written in bulk, bypassing the services on purpose: demo data writes no audit entry and
publishes no event.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from missions.models import FieldOperation, Pledge, Project
from states.models import Body, Dimension, State

PROJECTS_PER_SCALE = 100
BATCH_SIZE = 2000
BODY_KINDS = (Body.Kind.SECRETARIAT, Body.Kind.INSTITUTION)
THEMES = {
    "politico-military": [
        "Strengthening border management capacities",
        "Small arms and light weapons stockpile security",
        "Community policing and trust building",
        "Countering violent extremism at local level",
        "Destruction of surplus conventional ammunition",
        "Cyber security confidence-building measures",
    ],
    "economic-environmental": [
        "Good governance and anti-corruption in public procurement",
        "Climate change and security risk assessment",
        "Water management co-operation in shared basins",
        "Aarhus Centres: public participation in environmental matters",
        "Combating money laundering and the financing of terrorism",
        "Sustainable energy security dialogue",
    ],
    "human": [
        "Support to the independence of the judiciary",
        "Media freedom and the safety of journalists",
        "Preventing trafficking in human beings",
        "Tolerance and non-discrimination education",
        "Women's political participation",
        "Strengthening the national human rights institution",
    ],
}
GENERIC_THEMES = [
    "Capacity building for public institutions",
    "Regional co-operation programme",
    "Youth engagement for security",
]
DESCRIPTION = (
    "[DEMO] Synthetic project made by generate_demo_data for load tests and screenshots. "
    "It is not real: neither its budget nor its pledges are."
)


@contextmanager
def explicit_timestamps(*fields: Any) -> Iterator[None]:
    """Let bulk_create write the given ``auto_now``/``auto_now_add`` fields' own values (demo rows
    carry plausible past dates), restoring the fields afterwards."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def raw_delete(queryset: models.QuerySet) -> int:
    """``DELETE FROM <table> WHERE id IN (<queryset's ids>)`` in one statement: no rows loaded, no
    cascade collected (the caller deletes dependent rows first)."""
    model = queryset.model
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({sql})", params)  # noqa: S608
        return int(cursor.rowcount)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _array_item(value: Any) -> str:
    if value is None:
        return "NULL"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _copy_value(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return value
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is datetime.datetime or kind is datetime.date:
        return str(value) if kind is int else value.isoformat()  # aware datetimes carry their offset
    if isinstance(value, list | tuple):
        return ("{" + ",".join(_array_item(item) for item in value) + "}").translate(_COPY_ESCAPES)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys from ``model``'s own sequence (one query), for rows written by
    :func:`copy_rows` that other rows point at."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), model._meta.pk.column, count],
        )
        return sorted(int(row[0]) for row in cursor.fetchall())


def copy_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Write ``rows`` (dicts keyed by field attname, e.g. ``vacancy_id``) into ``model``'s table with
    one ``COPY``: many times faster than ``bulk_create`` for large batches, with no model instance
    made. A field missing from the rows takes its default (a field with a database default is left
    to the database); the primary key is written only when the rows carry it (see :func:`next_ids`).
    No signal is sent and no ``auto_now`` is applied: rows carry their own timestamps."""
    if not rows:
        return 0
    keys = set(rows[0])
    columns: list[str] = []
    plan: list[tuple[str | None, str]] = []  # per column: the row's key, else the default's text
    for field in model._meta.concrete_fields:
        if field.attname in keys:
            columns.append(str(field.column))
            plan.append((field.attname, ""))
        elif field.primary_key or field.db_default is not models.NOT_PROVIDED:
            continue
        else:
            columns.append(str(field.column))
            plan.append((None, _copy_value(field.get_default())))
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join([_copy_value(row[key]) if key is not None else text for key, text in plan]))
        write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, buffer)
    return len(rows)


def model_row(instance: models.Model) -> dict[str, Any]:
    """An unsaved instance's concrete field values by attname, for :func:`copy_rows`."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def progress_line(what: str, done: int, total: int, extra: str = "") -> str:
    """``what done/total [#####.....] 50%``: one line of ``generate_demo_data``'s progress bar."""
    width = 24
    filled = width * done // total if total else width
    percent = 100 * done // total if total else 100
    bar = "#" * filled + "." * (width - filled)
    return f"{what} {done}/{total} [{bar}] {percent:3d}%" + (f", {extra}" if extra else "")


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """``day`` at ``hour`` o'clock in the portal's time zone."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())


def delete() -> int:
    """Remove the previous demo projects and their pledges (two statements)."""
    pledges = raw_delete(Pledge.objects.filter(project__is_demo=True))
    return pledges + raw_delete(Project.objects.filter(is_demo=True))


def _money(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    return Decimal(rng.randrange(low, high, step)).quantize(Decimal("0.01"))


def _period(rng: random.Random, status: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A project period consistent with its status (``ends`` is the first day out)."""
    days = datetime.timedelta
    if status == Project.Status.COMPLETED:
        ends = today - days(rng.randint(1, 8 * 365))
        return ends - days(rng.randint(180, 3 * 365)), ends
    if status == Project.Status.ONGOING:
        starts = today - days(rng.randint(1, 2 * 365))
        return starts, today + days(rng.randint(30, 2 * 365))
    if status == Project.Status.CANCELLED:
        starts = today + days(rng.randint(-5 * 365, 365))
        return starts, starts + days(rng.randint(180, 2 * 365))
    starts = today + days(rng.randint(7, 365))  # submitted or approved: not started yet
    return starts, starts + days(rng.randint(180, 3 * 365))


@transaction.atomic
def generate(scale: float, rng: random.Random, progress: Callable[[str], None] | None = None) -> list[str]:
    """Delete the previous demo projects, then make about ``100 * scale`` new ones with pledges by
    participating States, reproducibly for a given ``rng`` seed and day. Returns summary lines."""
    delete()
    today = timezone.localdate()
    states = list(State.objects.participating(today).order_by("code"))
    dimensions = {dimension.slug: dimension for dimension in Dimension.objects.order_by("order", "slug")}
    operations = list(FieldOperation.objects.prefetch_related("dimensions").order_by("slug"))
    bodies = list(Body.objects.filter(kind__in=BODY_KINDS).order_by("slug")) or list(
        Body.objects.order_by("slug")
    )
    if not states or not dimensions or not (operations or bodies):
        return ["projects: no States, dimensions or implementers (run load_reference_data first); none made"]
    count = max(1, round(PROJECTS_PER_SCALE * scale))
    cutoff = aware(today, 0)  # no demo moment after the start of today: same seed, same data all day
    statuses = Project.Status.values
    status_weights = [2, 2, 4, 5, 1]  # submitted, approved, ongoing, completed, cancelled
    serial = 0
    made_projects = made_pledges = 0
    created_field = Project._meta.get_field("created")
    while made_projects < count:
        projects: list[Project] = []
        for _ in range(min(BATCH_SIZE, count - made_projects)):
            serial += 1
            status = rng.choices(statuses, weights=status_weights)[0]
            starts, ends = _period(rng, status, today)
            active = [op for op in operations if op.is_active(starts)]
            operation = rng.choice(active) if active and rng.random() < 0.75 else None
            body = None if operation is not None else rng.choice(bodies) if bodies else None
            if operation is None and body is None:
                operation = rng.choice(operations)
            own = [dimension.slug for dimension in operation.dimensions.all()] if operation else []
            dimension = dimensions.get(rng.choice(own)) if own else None
            dimension = dimension or dimensions[rng.choice(sorted(dimensions))]
            theme = rng.choice(THEMES.get(dimension.slug, GENERIC_THEMES))
            where = operation.location or operation.name if operation else body.name  # type: ignore[union-attr]
            created = min(aware(starts - datetime.timedelta(days=rng.randint(30, 240))), cutoff)
            projects.append(
                Project(
                    title=f"[DEMO] {theme}, {where} ({serial})"[:250],
                    field_operation=operation,
                    body=body,
                    dimension=dimension,
                    description=DESCRIPTION,
                    budget_eur=_money(rng, 20_000, 3_000_000, 500),
                    status=status,
                    starts=starts,
                    ends=ends,
                    created=created,
                    is_demo=True,
                )
            )
        with explicit_timestamps(created_field):
            Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)

        pledges: list[Pledge] = []
        for project in projects:
            if project.status == Project.Status.SUBMITTED and rng.random() < 0.5:
                continue
            first = project.created.date()
            last = min(today, project.ends or today)
            if last < first:
                continue
            share = rng.uniform(0.2, 1.2)  # of the budget, over all pledges
            donors = rng.sample(states, k=min(len(states), rng.randint(1, 6)))
            for state in donors:
                amount = (project.budget_eur * Decimal(share / len(donors))).quantize(Decimal("1"))
                if amount <= 0:
                    continue
                date = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                received = received_amount = None
                if date + datetime.timedelta(days=30) <= today and rng.random() < 0.7:
                    received = date + datetime.timedelta(days=rng.randint(30, min(180, (today - date).days)))
                    received_amount = (
                        amount if rng.random() < 0.9 else (amount * Decimal("0.9")).quantize(Decimal("1"))
                    )
                pledges.append(
                    Pledge(
                        project=project,
                        state=state,
                        amount_eur=Decimal(amount).quantize(Decimal("0.01")),
                        date=date,
                        note="[DEMO]",
                        received=received,
                        received_amount_eur=received_amount,
                    )
                )
        Pledge.objects.bulk_create(pledges, batch_size=BATCH_SIZE)
        made_projects += len(projects)
        made_pledges += len(pledges)
        if progress:
            progress(progress_line("projects", made_projects, count))
    return [f"projects: {made_projects} demo projects, {made_pledges} pledges"]
