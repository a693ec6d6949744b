"""Synthetic vacancies, nominations and secondments for load tests and screenshots
(``generate_demo_data``). Every vacancy made here has ``is_demo=True`` and a title starting with
"[DEMO]"; its nominations, selections and secondments are demo rows by belonging to it.

The data keeps the portal's rules: a State nominates its own nationals, never a host-State national
to an international post, never more selected candidates than posts (one selection slot and one
secondment each), and references come from the portal's own sequence, so they never collide with
real ones. Candidates are ``demo.candidate.<n>@example.org``; those not selected whose vacancy closed
over a year ago are already anonymised, as the daily task would have done.

Rows are written in bulk with ``COPY``, in batches, bypassing the services on purpose: no alert,
e-mail, audit entry or webhook event. The search vectors are then filled by one UPDATE per notice
language.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import CharField, F, ForeignObjectRel, Func, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from missions.demo import aware, copy_rows, model_row, next_ids, progress_line, raw_delete
from missions.models import FieldOperation
from secondments.models import (
    SEARCH_CONFIGS,
    FieldOfExpertise,
    Nomination,
    NominationChange,
    Person,
    PersonEmail,
    Secondment,
    SelectionSlot,
    Vacancy,
    add_years,
)
from secondments.services import reference_code
from states.models import Body, Dimension, State

VACANCIES_PER_SCALE = 1000
NOMINATIONS_PER_VACANCY = 3  # on average, drafts aside: 0 to twice as many each
BATCH_SIZE = 2000
BODY_KINDS = (Body.Kind.SECRETARIAT, Body.Kind.INSTITUTION)

# (title, background, tasks, requirements) per notice language.
NOTICES: dict[str, list[tuple[str, str, str, str]]] = {
    "en": [
        (
            "Human Rights Officer",
            "The Mission monitors the human rights situation and supports national institutions.",
            "Monitor and report on human rights; advise the authorities; train civil society.",
            "A university degree in law or human rights; five years of relevant experience.",
        ),
        (
            "Political Affairs Officer",
            "The Office follows political developments and supports dialogue between parties.",
            "Analyse political developments; draft reports; maintain contacts with officials.",
            "A degree in political science or international relations; excellent drafting skills.",
        ),
        (
            "Border Security Adviser",
            "The Mission assists the border police with integrated border management.",
            "Advise on border management; organise training; assess needs at crossing points.",
            "Experience in border police or customs; knowledge of risk analysis.",
        ),
        (
            "Election Adviser",
            "The Mission supports the election administration ahead of the next elections.",
            "Advise the election commission; review legislation; organise voter education.",
            "Experience in election administration or observation; a degree in law or social sciences.",
        ),
        (
            "Rule of Law Officer",
            "The Mission supports the independence and efficiency of the judiciary.",
            "Monitor trials; advise on judicial reform; co-ordinate with international partners.",
            "A law degree and five years of experience with courts or prosecution.",
        ),
        (
            "Media Freedom Officer",
            "The Office promotes media freedom and the safety of journalists.",
            "Monitor media legislation; support self-regulation; organise workshops for journalists.",
            "A degree in journalism or law; experience with media development.",
        ),
        (
            "Environmental Affairs Officer",
            "The Programme Office supports co-operation on water, energy and climate risks.",
            "Manage environmental projects; support the Aarhus Centres; report to donors.",
            "A degree in environmental sciences; experience in project management.",
        ),
        (
            "Finance Assistant",
            "The Fund Administration Unit manages the Mission's budget and payments.",
            "Process payments; reconcile accounts; prepare financial reports.",
            "Secondary education and bookkeeping experience; knowledge of ERP systems.",
        ),
    ],
    "fr": [
        (
            "Responsable des droits de l'homme",
            "La Mission suit la situation des droits de l'homme et soutient les institutions nationales.",
            "Suivre la situation ; rédiger des rapports ; conseiller les autorités.",
            "Diplôme universitaire en droit ; cinq années d'expérience dans les droits de l'homme.",
        ),
        (
            "Conseiller électoral",
            "La Mission soutient l'administration électorale avant les prochaines élections.",
            "Conseiller la commission électorale ; examiner la législation électorale.",
            "Expérience de l'administration ou de l'observation électorale.",
        ),
        (
            "Chargé des affaires politiques",
            "Le Bureau suit l'évolution politique et soutient le dialogue entre les partis.",
            "Analyser l'évolution politique ; rédiger des rapports ; entretenir des contacts officiels.",
            "Diplôme en sciences politiques ; excellentes capacités de rédaction.",
        ),
    ],
    "de": [
        (
            "Referent für Menschenrechte",
            "Die Mission beobachtet die Menschenrechtslage und unterstützt nationale Einrichtungen.",
            "Beobachtung und Berichterstattung; Beratung der Behörden; Schulung der Zivilgesellschaft.",
            "Hochschulabschluss in Rechtswissenschaften; fünf Jahre einschlägige Berufserfahrung.",
        ),
        (
            "Berater für Grenzsicherheit",
            "Die Mission unterstützt die Grenzpolizei beim integrierten Grenzmanagement.",
            "Beratung zum Grenzmanagement; Organisation von Schulungen; Bedarfsanalyse an Grenzübergängen.",
            "Erfahrung bei Grenzpolizei oder Zoll; Kenntnisse der Risikoanalyse.",
        ),
        (
            "Referent für Rechtsstaatlichkeit",
            "Die Mission fördert die Unabhängigkeit und Effizienz der Justiz.",
            "Prozessbeobachtung; Beratung zur Justizreform; Abstimmung mit internationalen Partnern.",
            "Juristisches Studium und fünf Jahre Erfahrung bei Gerichten oder Staatsanwaltschaft.",
        ),
    ],
    "it": [
        (
            "Funzionario per i diritti umani",
            "La Missione segue la situazione dei diritti umani e sostiene le istituzioni nazionali.",
            "Monitorare e riferire sui diritti umani; consigliare le autorità; formare la società civile.",
            "Laurea in giurisprudenza; cinque anni di esperienza nei diritti umani.",
        ),
        (
            "Consigliere per la libertà dei media",
            "L'Ufficio promuove la libertà dei media e la sicurezza dei giornalisti.",
            "Seguire la legislazione sui media; organizzare seminari per giornalisti.",
            "Laurea in giornalismo o giurisprudenza; esperienza nello sviluppo dei media.",
        ),
    ],
    "ru": [
        (
            "Сотрудник по правам человека",
            "Миссия наблюдает за положением в области прав человека и поддерживает национальные институты.",
            "Наблюдение и подготовка докладов; консультирование властей; обучение гражданского общества.",
            "Высшее юридическое образование; пять лет опыта работы в области прав человека.",
        ),
        (
            "Советник по вопросам пограничной безопасности",
            "Миссия содействует пограничной службе в комплексном управлении границами.",
            "Консультирование по управлению границами; организация обучения; оценка потребностей.",
            "Опыт работы в пограничной службе или таможне; знание анализа рисков.",
        ),
        (
            "Сотрудник по вопросам окружающей среды",
            "Офис программ поддерживает сотрудничество в области водных ресурсов и климатических рисков.",
            "Управление экологическими проектами; поддержка Орхусских центров; отчётность перед донорами.",
            "Высшее образование в области экологии; опыт управления проектами.",
        ),
    ],
    "es": [
        (
            "Oficial de derechos humanos",
            "La Misión sigue la situación de los derechos humanos y apoya a las instituciones nacionales.",
            "Supervisar e informar sobre derechos humanos; asesorar a las autoridades.",
            "Título universitario en derecho; cinco años de experiencia en derechos humanos.",
        ),
        (
            "Asesor electoral",
            "La Misión apoya a la administración electoral antes de las próximas elecciones.",
            "Asesorar a la comisión electoral; revisar la legislación electoral.",
            "Experiencia en administración u observación electoral.",
        ),
    ],
}
LANGUAGE_WEIGHTS = {"en": 70, "ru": 10, "fr": 5, "de": 5, "it": 5, "es": 5}
SECONDED = {"S": 2, "S1": 6, "S2": 6, "S3": 3, "DHoM": 1, "HoM": 1}
CONTRACTED_INTERNATIONAL = {"P1": 1, "P2": 3, "P3": 4, "P4": 3, "P5": 2, "D1": 1}
CONTRACTED_LOCAL = {"G3": 2, "G4": 3, "G5": 3, "G6": 2, "NP1": 2, "NP2": 2, "NP3": 1}
VACANCY_STATUSES = {"draft": 5, "open": 20, "closed": 30, "filled": 40, "cancelled": 5}
GIVEN_NAMES = ["Alex", "Maria", "Jan", "Elena", "Luca", "Sofia", "Ivan", "Anna", "Pierre", "Nora"]
FAMILY_NAMES = ["Andersen", "Bianchi", "Costa", "Dubois", "Eriksson", "Fischer", "Horvat", "Jansen"]
GENDERS = Nomination.Gender.values
REMUNERATION = (
    "[DEMO] Seconded staff are remunerated by their seconding authority; board and lodging allowance."
)


@dataclass(frozen=True)
class Post:
    """Where a demo vacancy is: a field operation or a body, with its reference code."""

    operation: FieldOperation | None
    body: Body | None
    code: str
    station: str

    @property
    def host_state_id(self) -> str | None:
        return self.operation.host_state_id if self.operation is not None else None


def delete() -> int:
    """Remove the previous demo vacancies and everything hanging on them, children first, one
    statement per table (no row is loaded). A real nomination to a demo vacancy goes with it."""
    nominations = Nomination.objects.filter(vacancy__is_demo=True)
    persons = list(Secondment.objects.filter(vacancy__is_demo=True).values_list("person_id", flat=True))
    deleted = raw_delete(Secondment.objects.filter(vacancy__is_demo=True))
    deleted += raw_delete(SelectionSlot.objects.filter(vacancy__is_demo=True))
    deleted += raw_delete(NominationChange.objects.filter(nomination__in=nominations))
    deleted += raw_delete(_notifications_about(Vacancy.objects.filter(is_demo=True), nominations))
    deleted += raw_delete(nominations)
    # The demo candidates' person records, unless a real secondment counts on one.
    if persons:
        lonely = Person.objects.filter(pk__in=persons).exclude(secondments__isnull=False)
        deleted += raw_delete(PersonEmail.objects.filter(person__in=lonely))
        deleted += raw_delete(lonely)
    demo = Vacancy.objects.filter(is_demo=True)
    # Whatever else points at a vacancy (deadline extensions, notifications, hidden relations too).
    for related in Vacancy._meta.get_fields(include_hidden=True):
        if not isinstance(related, ForeignObjectRel) or related.many_to_many:
            continue
        model = related.related_model
        if not isinstance(model, type) or model in (Secondment, SelectionSlot, Nomination):
            continue
        dependents = model._default_manager.filter(**{f"{related.field.name}__in": demo})
        deleted += raw_delete(dependents)
    return deleted + raw_delete(demo)


def _link_key(url_name: str) -> Func:
    """The reference or id in a notification's link to a ``url_name`` page (NULL for other links):
    the link is ``SITE_URL`` + the page's path, and ``SITE_URL`` may have changed since."""
    sentinel = "999999999"
    path = reverse(url_name, args=[sentinel])
    pattern = re.escape(path).replace(sentinel, "([^/]+)") + "$"
    return Func(F("url"), Value(pattern), function="substring", output_field=CharField())


def _notifications_about(vacancies: QuerySet[Vacancy], nominations: QuerySet[Nomination]) -> QuerySet:
    """The portal's notifications (``core.Notification``) that link to one of ``vacancies`` or
    ``nominations`` (deadline reminders, alerts, a real nomination's notices): they go with the demo
    rows, since the person's notifications page would otherwise lead to pages that are gone."""
    return Notification.objects.annotate(
        vacancy_ref=_link_key("secondments:detail"), nomination_ref=_link_key("secondments:nomination")
    ).filter(
        Q(vacancy_ref__in=vacancies.values("reference"))
        | Q(nomination_ref__in=nominations.values(text=Cast("pk", CharField())))
    )


def _serials(count: int) -> list[int]:
    """``count`` numbers from the portal's vacancy reference sequence (one query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('secondments_vacancy_serial') FROM generate_series(1, %s)", [count])
        return sorted(int(row[0]) for row in cursor.fetchall())


def _posts() -> list[Post]:
    today = timezone.localdate()
    posts = [
        Post(op, None, reference_code(Vacancy(field_operation=op)), (op.location or op.name)[:120])
        for op in FieldOperation.objects.active(today).select_related("host_state").order_by("slug")
    ]
    bodies = list(Body.objects.filter(kind__in=BODY_KINDS).order_by("slug"))
    posts += [Post(None, body, reference_code(Vacancy(body=body)), body.seat or "Vienna") for body in bodies]
    return posts


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _grade(rng: random.Random, post: Post) -> tuple[str, str]:
    """(appointment, grade): seconded mostly; local G/NP grades only at field operations (NP) or
    anywhere (G)."""
    roll = rng.random()
    if roll < 0.6:
        return Vacancy.Appointment.SECONDED, _pick(rng, SECONDED)
    if roll < 0.8 or post.operation is None:
        grade = _pick(rng, CONTRACTED_INTERNATIONAL if roll < 0.8 else {"G4": 1, "G5": 1, "G6": 1})
        return Vacancy.Appointment.CONTRACTED, grade
    return Vacancy.Appointment.CONTRACTED, _pick(rng, CONTRACTED_LOCAL)


def _vacancy(rng: random.Random, post: Post, today: datetime.date, serial: int, context: dict) -> Vacancy:
    language = _pick(rng, LANGUAGE_WEIGHTS)
    title, background, tasks, requirements = rng.choice(NOTICES[language])
    appointment, grade = _grade(rng, post)
    status = _pick(rng, VACANCY_STATUSES)
    days = datetime.timedelta
    if status in ("draft", "open"):
        deadline = today + days(rng.randint(1 if status == "open" else 14, 75))
    else:
        deadline = today - days(rng.randint(1, 5 * 365))
    published = None if status == "draft" else aware(deadline - days(rng.randint(21, 60)), 9)
    cutoff = aware(today, 0)  # no demo moment after the start of today: same seed, same data all day
    published = min(published, cutoff) if published else None
    closed = None
    if status in ("closed", "filled", "cancelled"):
        closed = aware(deadline + days(1), 0)
        if status == "filled":
            closed = aware(deadline + days(rng.randint(20, 120)), 11)
        closed = min(closed, cutoff)
    created = (published or cutoff) - days(rng.randint(1, 10))
    posts = 1 if rng.random() < 0.85 else rng.randint(2, 4)
    kind = "S" if appointment == Vacancy.Appointment.SECONDED else "C"
    return Vacancy(
        reference=f"VN{post.code}{kind}{serial:05d}",
        title=f"[DEMO] {title}",
        field_operation=post.operation,
        body=post.body,
        duty_station=post.station,
        appointment=appointment,
        grade=grade,
        field_of_expertise=rng.choice(context["fields"]),
        dimension=rng.choice(context["dimensions"]),
        posts=posts,
        notice_language=language,
        description=background,
        tasks=tasks,
        requirements=requirements,
        languages=["en"] if language == "en" else ["en", language],
        remuneration=REMUNERATION if appointment == Vacancy.Appointment.SECONDED else "",
        deadline=deadline,
        open_to_partners=grade in Vacancy.PARTNER_GRADES and rng.random() < 0.3,
        status=status,
        published=published,
        closed=closed,
        created=created,
        updated=closed or published or created,
        is_demo=True,
    )


def _nominations(
    rng: random.Random, vacancy: Vacancy, post: Post, today: datetime.date, context: dict
) -> list[tuple[dict[str, Any], list[str]]]:
    """A few nominations to ``vacancy`` (rows for :func:`copy_rows`), each with its status path
    (the history)."""
    if vacancy.status == "draft":
        return []
    states: list[State] = context["states"]
    host = post.host_state_id
    if vacancy.is_international:
        eligible = [state for state in states if state.pk != host]
    else:  # local posts go to the host State's nationals
        eligible = [state for state in states if state.pk == host] or states
    wanted = rng.randint(0, context["most"])
    if vacancy.status == "filled":
        wanted = max(wanted, vacancy.posts)
    if not eligible or not wanted:
        return []
    nominating = [rng.choice(eligible) for _ in range(wanted)]
    if vacancy.status == "filled":
        to_select = vacancy.posts
    elif vacancy.status == "closed":
        to_select = rng.randint(0, min(vacancy.posts - 1, wanted))
    else:
        to_select = 0
    selected = set(rng.sample(range(wanted), k=to_select))
    cutoff = aware(today, 0)
    published = vacancy.published.date()  # type: ignore[union-attr]
    last = min(vacancy.deadline, today)
    anonymised_on = None  # not selected, of a vacancy closed over a year ago: already anonymised
    if vacancy.closed is not None and add_years(vacancy.closed.date(), 1) < today:
        a_year_after = add_years(vacancy.closed.date(), 1) + datetime.timedelta(days=1)
        anonymised_on = min(aware(a_year_after, 3), cutoff)
    result = []
    for index, state in enumerate(nominating):
        context["candidates"] += 1
        number = context["candidates"]
        if index in selected:
            path = ["submitted", "shortlisted", "selected"]
        elif vacancy.status == "open":
            path = rng.choice(
                [["submitted"], ["submitted"], ["submitted", "shortlisted"], ["submitted", "withdrawn"]]
            )
        else:
            path = rng.choice(
                [
                    ["submitted", "rejected"],
                    ["submitted", "shortlisted", "rejected"],
                    ["submitted", "withdrawn"],
                ]
            )
        submitted_on = published + datetime.timedelta(days=rng.randint(0, max(0, (last - published).days)))
        anonymised = anonymised_on if path[-1] != "selected" else None
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        nomination = {
            "vacancy_id": vacancy.pk,
            "state_id": state.pk,
            "given_name": "" if anonymised else f"{given} (demo)",
            "family_name": "" if anonymised else f"{family} {number}",
            "email": "" if anonymised else f"demo.candidate.{number}@example.org",
            "nationality_id": state.pk,
            "gender": rng.choices(GENDERS, weights=[10, 10, 1, 1])[0],
            "motivation": "" if anonymised else "[DEMO] Synthetic candidate made by generate_demo_data.",
            "status": path[-1],
            "submitted": min(aware(submitted_on, rng.randint(8, 18)), cutoff),
            "updated": anonymised or min(aware(submitted_on, 19), cutoff),
            "anonymised": anonymised,
        }
        result.append((nomination, path))
    return result


@transaction.atomic
def generate(
    scale: float,
    rng: random.Random,
    progress: Callable[[str], None] | None = None,
    nominations_per_vacancy: float = NOMINATIONS_PER_VACANCY,
) -> list[str]:
    """Delete the previous demo vacancies, then make about ``1000 * scale`` new ones with their
    nominations (about ``nominations_per_vacancy`` each, drafts aside), selections and secondments,
    reproducibly for a given ``rng`` seed and day (the references come from the sequence, so they
    differ). Rows are written with ``COPY``, a batch at a time. Returns summary lines."""
    delete()
    today = timezone.localdate()
    context = {
        "states": list(State.objects.participating(today).order_by("code")),
        "fields": list(FieldOfExpertise.objects.order_by("slug")),
        "dimensions": list(Dimension.objects.order_by("order", "slug")),
        "candidates": 0,
        "most": max(0, round(2 * nominations_per_vacancy)),
    }
    posts = _posts()
    if not context["states"] or not context["fields"] or not context["dimensions"] or not posts:
        return [
            "vacancies: no States, fields of expertise, dimensions or posts "
            "(run load_reference_data first); none made"
        ]
    count = max(1, round(VACANCIES_PER_SCALE * scale))
    cutoff = aware(today, 0)
    totals = {"vacancies": 0, "nominations": 0, "secondments": 0}
    while totals["vacancies"] < count:
        size = min(BATCH_SIZE, count - totals["vacancies"])
        chosen = [rng.choice(posts) for _ in range(size)]
        vacancies = [
            _vacancy(rng, post, today, serial, context)
            for post, serial in zip(chosen, _serials(size), strict=True)
        ]
        for vacancy, pk in zip(vacancies, next_ids(Vacancy, size), strict=True):
            vacancy.pk = pk
        copy_rows(Vacancy, [model_row(vacancy) for vacancy in vacancies])
        pairs = [
            pair
            for vacancy, post in zip(vacancies, chosen, strict=True)
            for pair in _nominations(rng, vacancy, post, today, context)
        ]
        for (nomination, _), pk in zip(pairs, next_ids(Nomination, len(pairs)), strict=True):
            nomination["id"] = pk
            nomination["person_id"] = None
        # One person record (and its e-mail) per selected candidate: each demo candidate is
        # selected once at most.
        chosen_ones = [nomination for nomination, _ in pairs if nomination["status"] == "selected"]
        for nomination, pk in zip(chosen_ones, next_ids(Person, len(chosen_ones)), strict=True):
            nomination["person_id"] = pk
        copy_rows(
            Person,
            [
                {
                    "id": n["person_id"],
                    "given_name": n["given_name"],
                    "family_name": n["family_name"],
                    "created": n["submitted"],
                }
                for n in chosen_ones
            ],
        )
        copy_rows(
            PersonEmail, [{"person_id": n["person_id"], "email": n["email"].lower()} for n in chosen_ones]
        )
        copy_rows(Nomination, [nomination for nomination, _ in pairs])
        by_pk = {vacancy.pk: vacancy for vacancy in vacancies}
        changes: list[dict[str, Any]] = []
        slots: list[dict[str, Any]] = []
        secondments: list[dict[str, Any]] = []
        taken: dict[int, int] = {}
        for nomination, path in pairs:
            at = nomination["submitted"]
            for step, status in enumerate(path):
                if step:
                    at = at + datetime.timedelta(days=rng.randint(3, 20))
                changes.append(
                    {
                        "nomination_id": nomination["id"],
                        "status": status,
                        "at": min(at, cutoff),
                        "reason": "[DEMO]" if step else "",
                        "by_id": None,
                    }
                )
            if nomination["status"] != "selected":
                continue
            vacancy = by_pk[nomination["vacancy_id"]]
            taken[vacancy.pk] = taken.get(vacancy.pk, 0) + 1
            slots.append(
                {
                    "vacancy_id": vacancy.pk,
                    "slot": taken[vacancy.pk],
                    "posts": vacancy.posts,
                    "nomination_id": nomination["id"],
                }
            )
            start = (vacancy.closed or cutoff).date() + datetime.timedelta(days=rng.randint(14, 60))
            renewals = 0
            while renewals < 4 and add_years(start, renewals + 1) < today and rng.random() < 0.6:
                renewals += 1
            secondments.append(
                {
                    "nomination_id": nomination["id"],
                    "state_id": nomination["state_id"],
                    "vacancy_id": vacancy.pk,
                    "field_operation_id": vacancy.field_operation_id,
                    "person_id": nomination["person_id"],
                    "start": start,
                    "end": add_years(start, 1 + renewals),
                    "renewals": renewals,
                    "created": min(aware(start - datetime.timedelta(days=10)), cutoff),
                    "updated": min(aware(start - datetime.timedelta(days=10)), cutoff),
                }
            )
        copy_rows(NominationChange, changes)
        copy_rows(SelectionSlot, slots)
        copy_rows(Secondment, secondments)
        totals["vacancies"] += len(vacancies)
        totals["nominations"] += len(pairs)
        totals["secondments"] += len(secondments)
        if progress:
            progress(
                progress_line("vacancies", totals["vacancies"], count, f"nominations {totals['nominations']}")
            )

    # The full-text search vectors, stemmed in each notice's language, as vacancy_search_update
    # stores them: one UPDATE per language.
    for language, config in SEARCH_CONFIGS.items():
        vector = SearchVector("title", weight="A", config=config) + SearchVector(
            "description", "tasks", "requirements", weight="B", config=config
        )
        Vacancy.objects.filter(is_demo=True, notice_language=language).update(search_vector=vector)
    if progress:
        progress("vacancies: search vectors filled")
    return [
        f"vacancies: {totals['vacancies']} demo vacancies, {totals['nominations']} nominations, "
        f"{totals['secondments']} secondments"
    ]
