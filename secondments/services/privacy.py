"""Candidates' personal data: anonymised once it is no longer needed."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEntry
from secondments.models import Nomination, NominationChange, add_years
from secondments.services.common import today


def nominations_anonymise(*, on: datetime.date | None = None) -> int:
    """Anonymise candidates not selected, 12 months after their vacancy closed (the system, daily).
    Safe to run twice.

    Names, e-mail, motivation and CV go; the State, nationality, gender, status and history stay
    (facts for statistics and the audit trail, not the person). Free-text reasons go too, since
    they may name the person.
    """
    day = on or today()
    cutoff = timezone.make_aware(datetime.datetime.combine(add_years(day, -1), datetime.time.max))
    candidates = (
        Nomination.objects.filter(
            anonymised__isnull=True, vacancy__closed__isnull=False, vacancy__closed__lte=cutoff
        )
        .exclude(status=Nomination.Status.SELECTED)
        .order_by("pk")
    )
    storage = Nomination._meta.get_field("cv").storage  # type: ignore[attr-defined]
    count = 0
    for nomination in candidates.iterator():
        with transaction.atomic():
            cv_name = nomination.cv.name
            nomination.given_name = ""
            nomination.family_name = ""
            nomination.email = ""
            nomination.motivation = ""
            nomination.cv = ""
            nomination.anonymised = timezone.now()
            nomination.save()
            NominationChange.objects.filter(nomination=nomination).update(reason="")
            AuditEntry.objects.filter(
                target_type="secondments.nomination", target_id=str(nomination.pk)
            ).update(reason="")
            audit_record(actor=None, action="nomination.anonymised", target=nomination)
            if cv_name:
                transaction.on_commit(partial(storage.delete, cv_name))
        count += 1
    return count
