"""Synthetic elections for load tests and screenshots (``generate_demo_data``). Every election made
here has ``is_demo=True`` and shows "[DEMO]" on the pages; heads and report titles carry it too.

Rows are written in bulk, bypassing the services on purpose: demo data publishes no
``election.created`` event (no webhook storm) and sends no reminder.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from elections.models import (
    Election,
    ObservationActivity,
    ObserverOffer,
    Recommendation,
    RecommendationAssessment,
    Report,
)
from states.models import State, Topic

ELECTIONS_PER_SCALE = 50
SURNAMES = [
    "Andersen",
    "Bianchi",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fischer",
    "García",
    "Horvat",
    "Ivanova",
    "Jansen",
]
RECOMMENDATION_TEXTS = [
    "Review the legal framework well ahead of the next elections, in an inclusive consultation.",
    "Publish results by polling station promptly, in a machine-readable format.",
    "Ensure the impartiality of the election administration at all levels.",
    "Guarantee equal access to the media for all contestants.",
    "Provide effective and timely remedies for election-related complaints.",
    "Strengthen measures against the misuse of administrative resources.",
    "Enhance the transparency of campaign finance and its oversight.",
    "Remove restrictions on the right to stand on grounds of residence.",
]


def delete() -> int:
    """Remove the previous demo elections (and, by cascade, their activities, offers and reports)."""
    deleted, _ = Election.objects.filter(is_demo=True).delete()
    return deleted


@transaction.atomic
def generate(scale: int, rng: random.Random) -> list[str]:
    """Delete the previous demo elections, then make about ``50 * scale`` new ones, reproducibly
    for a given ``rng`` seed and day. Returns summary lines."""
    delete()
    today = timezone.localdate()
    states = list(State.objects.participating(today).order_by("code"))
    if len(states) < 2:
        return ["elections: no participating States (run load_reference_data first); no demo election made"]
    topics = list(Topic.objects.order_by("slug"))
    count = max(1, ELECTIONS_PER_SCALE * scale)
    taken: set[tuple[str, str, datetime.date]] = set()
    elections: list[Election] = []
    while len(elections) < count:
        state = rng.choice(states)
        kind = rng.choice(Election.Kind.values)
        date = today + datetime.timedelta(days=rng.randint(-4 * 365, 2 * 365))
        if (state.pk, kind, date) in taken:
            continue
        taken.add((state.pk, kind, date))
        elections.append(
            Election(
                state=state,
                kind=kind,
                date=date,
                early=kind == Election.Kind.EARLY_PARLIAMENTARY or rng.random() < 0.05,
                note="[DEMO] synthetic election",
                is_demo=True,
            )
        )
    Election.objects.bulk_create(elections, batch_size=1000)

    # Second rounds for about a third of the presidential elections.
    second_rounds = [
        Election(
            state=first.state,
            kind=first.kind,
            date=first.date + datetime.timedelta(days=14),
            round=2,
            first_round=first,
            note="[DEMO] synthetic second round",
            is_demo=True,
        )
        for first in elections
        if first.kind == Election.Kind.PRESIDENTIAL
        and rng.random() < 0.33
        and (first.state_id, first.kind, first.date + datetime.timedelta(days=14)) not in taken
    ]
    Election.objects.bulk_create(second_rounds, batch_size=1000)

    activities: list[ObservationActivity] = []
    for election in elections:
        if rng.random() < 0.15:
            continue  # no observation at all
        nam_opened = election.date - datetime.timedelta(days=rng.randint(90, 150))
        deployment = rng.choices(["EOM", "LEOM", "EAM", "none"], weights=[5, 3, 2, 1])[0]
        activities.append(
            ObservationActivity(
                election=election,
                kind="NAM",
                head="",
                opened=nam_opened,
                closed=nam_opened + datetime.timedelta(days=rng.randint(3, 6)),
                core_team_size=rng.randint(2, 4),
                recommended_deployment=deployment,
            )
        )
        if deployment == "none":
            continue
        opened = election.date - datetime.timedelta(days=rng.randint(35, 56))
        closed_day = election.date + datetime.timedelta(days=rng.randint(7, 21))
        lto, sto = {
            "EOM": (rng.randint(20, 40), rng.randint(200, 400)),
            "LEOM": (rng.randint(10, 24), 0),
        }.get(deployment, (0, 0))
        activities.append(
            ObservationActivity(
                election=election,
                kind=deployment,
                head=f"[DEMO] Ambassador {rng.choice('ABCDEFGHJKLMNPRS')}. {rng.choice(SURNAMES)}",
                opened=opened,
                closed=closed_day if closed_day <= today else None,
                core_team_size=rng.randint(8, 15) if deployment != "EAM" else rng.randint(3, 7),
                lto_requested=lto,
                sto_requested=sto,
            )
        )
    ObservationActivity.objects.bulk_create(activities, batch_size=1000)

    offers: list[ObserverOffer] = []
    reports: list[Report] = []
    for activity in activities:
        election = activity.election
        label = f"{election.state.name}, {election.get_kind_display()} election, {election.date.isoformat()}"
        if activity.kind == "NAM":
            if activity.closed and activity.closed + datetime.timedelta(days=14) <= today:
                reports.append(
                    Report(
                        activity=activity,
                        kind="needs-assessment",
                        published=activity.closed + datetime.timedelta(days=14),
                        title=f"[DEMO] Needs Assessment Mission Report: {label}",
                        link="https://example.org/demo/needs-assessment",
                    )
                )
            continue
        if activity.lto_requested or activity.sto_requested:
            others = [state for state in states if state.pk != election.state_id]
            # Offers made before the deployment opened; upcoming ones get a few so far.
            share = 1.0 if activity.opened <= today else rng.random()
            for state in rng.sample(others, k=min(len(others), rng.randint(3, 20))):
                lto = rng.randint(0, 3) if activity.lto_requested else 0
                sto = rng.randint(1, 15) if activity.sto_requested else 0
                if rng.random() < share and (lto or sto):
                    offers.append(
                        ObserverOffer(activity=activity, state=state, lto=lto, sto=sto, note="[DEMO]")
                    )
        milestones = [
            ("interim", activity.opened + datetime.timedelta(days=14), "Interim Report"),
            ("preliminary", election.date + datetime.timedelta(days=1), "Statement of Preliminary Findings"),
            ("final", election.date + datetime.timedelta(days=rng.randint(60, 120)), "Final Report"),
        ]
        for kind, published, title in milestones:
            if published <= today:
                reports.append(
                    Report(
                        activity=activity,
                        kind=kind,
                        published=published,
                        title=f"[DEMO] {title}: {label}",
                        link="https://example.org/demo/report",
                    )
                )
    ObserverOffer.objects.bulk_create(offers, batch_size=2000)
    Report.objects.bulk_create(reports, batch_size=2000)

    recommendations: list[Recommendation] = []
    for report in reports:
        if report.kind != "final":
            continue
        for number, text in enumerate(rng.sample(RECOMMENDATION_TEXTS, k=rng.randint(2, 5)), start=1):
            recommendations.append(
                Recommendation(
                    report=report,
                    number=number,
                    text=f"[DEMO] {text}",
                    topic=rng.choice(topics) if topics else None,
                )
            )
    Recommendation.objects.bulk_create(recommendations, batch_size=2000)

    assessments: list[RecommendationAssessment] = []
    statuses = ["not-implemented", "partially", "mostly", "fully"]
    for recommendation in recommendations:
        day = recommendation.report.published
        assessments.append(
            RecommendationAssessment(recommendation=recommendation, status="pending", assessed_on=day)
        )
        status = "pending"
        for _ in range(rng.randint(0, 2)):
            day = day + datetime.timedelta(days=rng.randint(200, 500))
            if day > today:
                break
            status = rng.choice(statuses)
            assessments.append(
                RecommendationAssessment(
                    recommendation=recommendation, status=status, assessed_on=day, note="[DEMO]"
                )
            )
        recommendation.status = status
    RecommendationAssessment.objects.bulk_create(assessments, batch_size=2000)
    Recommendation.objects.bulk_update(recommendations, ["status"], batch_size=2000)

    return [
        f"elections: {len(elections) + len(second_rounds)} demo elections, {len(activities)} activities, "
        f"{len(offers)} offers, {len(reports)} reports, {len(recommendations)} recommendations"
    ]
