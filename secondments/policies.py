"""Who may do what in the secondment cycle: one function per action, called by its service.

Each policy returns quietly or raises: ``LoginRequired`` (nobody logged in), ``NotVisible`` (the
object is not there for this caller: another State's nomination), ``NotAllowed`` (visible, but not
this caller's to change). Visibility is checked before the right, so a refusal never reveals that
another State's object exists. ``actor=None`` is the system (scheduled tasks).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import is_hr, roles_of
from core.errors import NotAllowed, NotVisible
from core.policies import is_system, require, require_user
from secondments.models import Nomination, Secondment, Vacancy
from states.models import Partner, State

Nominator = State | Partner


def vacancy_visible(actor: Any, vacancy: Vacancy) -> None:
    """Anyone sees a published vacancy; only HR a draft or a cancelled draft."""
    if is_system(actor) or is_hr(actor) or vacancy.was_published:
        return
    raise NotVisible()


def vacancy_manage(actor: Any, vacancy: Vacancy | None = None) -> None:
    """Create, edit, publish, close, extend, cancel: HR."""
    if vacancy is not None:
        vacancy_visible(actor, vacancy)
    require(actor, is_hr(actor), _("Only OSCE human resources manage vacancies."))


def nominator_of(actor: Any) -> Nominator | None:
    """The State or Partner a focal point acts for."""
    roles = roles_of(actor)
    return roles.state or roles.partner


def nomination_submit(actor: Any, vacancy: Vacancy) -> Nominator:
    """A focal point of a State or a Partner nominates (to a vacancy it can see); returns for whom."""
    require_user(actor)
    vacancy_visible(actor, vacancy)
    nominator = nominator_of(actor)
    if nominator is None:
        raise NotAllowed(_("Only a focal point of a participating State or a Partner nominates candidates."))
    return nominator


def nominations_read(actor: Any) -> None:
    """The lists of nominations and secondments: HR and focal points (each sees what it may)."""
    require(
        actor,
        is_hr(actor) or nominator_of(actor) is not None,
        _("Only OSCE human resources and focal points see nominations."),
    )


def _is_own(actor: Any, obj: Nomination | Secondment) -> bool:
    roles = roles_of(actor)
    if roles.state is not None:
        return obj.state_id == roles.state.pk
    if roles.partner is not None:
        return obj.partner_id == roles.partner.pk
    return False


def nomination_visible(actor: Any, nomination: Nomination) -> None:
    """HR and the nominating State's (or Partner's) focal points; nobody else learns it exists."""
    require_user(actor)
    if is_system(actor) or is_hr(actor) or _is_own(actor, nomination):
        return
    raise NotVisible()


def nomination_change(actor: Any, nomination: Nomination) -> None:
    """Update or withdraw: the nominating State's (or Partner's) focal point."""
    nomination_visible(actor, nomination)
    require(
        actor, _is_own(actor, nomination), _("Only the nominating State changes or withdraws a nomination.")
    )


def nomination_decide(actor: Any, nomination: Nomination) -> None:
    """Shortlist, select, reject: HR."""
    nomination_visible(actor, nomination)
    require(actor, is_hr(actor), _("Only OSCE human resources move nominations through selection."))


def secondment_visible(actor: Any, secondment: Secondment) -> None:
    require_user(actor)
    if is_system(actor) or is_hr(actor) or _is_own(actor, secondment):
        return
    raise NotVisible()


def secondment_manage(actor: Any, secondment: Secondment | None = None) -> None:
    """Renew a secondment, merge person records: HR."""
    if secondment is not None:
        secondment_visible(actor, secondment)
    require(actor, is_hr(actor), _("Only OSCE human resources manage secondments."))


def own_account(actor: Any, owner_id: int | None) -> None:
    """Calendar addresses and saved searches: each user its own (another user's is not there)."""
    require_user(actor)
    if owner_id is not None and not is_system(actor) and owner_id != actor.pk:
        raise NotVisible()
