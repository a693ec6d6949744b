"""A user's own subscriptions: secret calendar addresses and saved vacancy searches."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import Invalid, full_clean
from secondments import policies
from secondments.filters import VacancyFilter
from secondments.models import CalendarToken, SavedSearch, Vacancy


def calendar_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, actor: Any) -> tuple[CalendarToken, str]:
    """A new secret calendar address for the actor; returns the row and the raw token (shown once)."""
    policies.own_account(actor, None)
    raw = secrets.token_urlsafe(24)
    token = CalendarToken.objects.create(user=actor, digest=calendar_digest(raw))
    audit_record(actor=actor, action="calendar_token.created", target=token)
    return token, raw


@transaction.atomic
def calendar_token_revoke(*, actor: Any, token: CalendarToken) -> None:
    """Revoke one of the actor's calendar addresses (another user's is not there: 404)."""
    policies.own_account(actor, token.user_id)
    CalendarToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())
    audit_record(actor=actor, action="calendar_token.revoked", target=token)


def saved_search_query(data: Any) -> dict[str, str]:
    """The vacancy filters of ``data`` (a QueryDict or a dict) worth saving: known names, values set."""
    allowed = set(VacancyFilter.base_filters)
    return {key: str(data.get(key)) for key in sorted(allowed) if data.get(key)}


@transaction.atomic
def saved_search_create(*, actor: Any, name: str, frequency: str, query: dict[str, Any]) -> SavedSearch:
    """Save a vacancy search for the actor, alerted instantly or daily. 400: filters that are not
    valid, a missing name or frequency."""
    policies.own_account(actor, None)
    if not VacancyFilter(data=query, queryset=Vacancy.objects.none()).is_valid():
        raise Invalid(_("These filters are not valid."))
    search = SavedSearch(user=actor, name=(name or "").strip(), frequency=frequency, query=query)
    full_clean(search)
    search.save()
    audit_record(actor=actor, action="saved_search.created", target=search, data={"query": query})
    return search


@transaction.atomic
def saved_search_delete(*, actor: Any, search: SavedSearch) -> None:
    """Delete one of the actor's saved searches (another user's is not there: 404)."""
    policies.own_account(actor, search.user_id)
    audit_record(actor=actor, action="saved_search.deleted", target=search)
    search.delete()
