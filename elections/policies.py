"""Who may do what in election observation: one function per action, called by its service.

ODIHR's election staff (the ``odihr`` role) record elections, observation activities, reports and
recommendations, and assess recommendations over time. A participating State's focal point offers
that State's observers (never a Partner's: Partners for Co-operation second no observers), and
changes or withdraws those offers. HR and ODIHR read every State's offers; a focal point its own
State's only: another State's offer is not there for it (404). Elections, activities, reports and
recommendations are public. ``actor=None`` is the system (scheduled tasks).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import focal_partner, focal_state, is_hr, is_odihr
from core.errors import NotAllowed, NotVisible
from core.policies import is_system, require, require_user
from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation
from states.models import State


def _odihr(actor: Any, message: str) -> None:
    require(actor, is_odihr(actor), message)


def election_manage(actor: Any, election: Election | None = None) -> None:
    """Create and edit elections: ODIHR."""
    _odihr(actor, _("Only ODIHR's election staff record elections."))


def activity_manage(actor: Any, activity: ObservationActivity | None = None) -> None:
    """Create and edit observation activities (NAM, EAM, LEOM, EOM): ODIHR."""
    _odihr(actor, _("Only ODIHR's election staff manage observation activities."))


def report_publish(actor: Any, activity: ObservationActivity | None = None) -> None:
    """Publish an activity's report: ODIHR."""
    _odihr(actor, _("Only ODIHR's election staff publish reports."))


def recommendation_manage(actor: Any, recommendation: Recommendation | None = None) -> None:
    """Add and edit recommendations: ODIHR."""
    _odihr(actor, _("Only ODIHR's election staff record recommendations."))


def recommendation_assess(actor: Any, recommendation: Recommendation | None = None) -> None:
    """Assess how far a recommendation was implemented: ODIHR."""
    _odihr(actor, _("Only ODIHR's election staff assess recommendations."))


def offers_read(actor: Any) -> None:
    """The lists of observer offers: HR, ODIHR and participating States' focal points (each sees
    what ``ObserverOffer.objects.visible_to`` gives it)."""
    require_user(actor)
    if is_system(actor) or is_hr(actor) or is_odihr(actor) or focal_state(actor) is not None:
        return
    if focal_partner(actor) is not None:
        raise NotAllowed(_("Partners for Co-operation offer no observers."))
    raise NotAllowed(_("Only HR, ODIHR and the focal points of participating States see observer offers."))


def roster_read(actor: Any, activity: ObservationActivity | None = None) -> None:
    """The roster of an activity (every State's offers and named observers): ODIHR."""
    _odihr(actor, _("Only ODIHR's election staff see the roster of observers."))


def offers_overview(actor: Any, activity: ObservationActivity | None = None) -> None:
    """Requested against offered, per State, for an activity: HR and ODIHR."""
    require(
        actor,
        is_hr(actor) or is_odihr(actor),
        _("Only HR and ODIHR's election staff see every State's offers."),
    )


def offer_create(actor: Any, activity: ObservationActivity) -> State:
    """A participating State's focal point offers that State's observers; returns the State.

    Whether the State may offer to *this* activity (the host State may not: 400) and whether the
    windows are open (409) are rules of the service, not of who the caller is.
    """
    require_user(actor)
    offers_read(actor)
    state = focal_state(actor)
    if state is None:
        raise NotAllowed(_("Only a participating State's focal point offers observers, for its own State."))
    return state


def _is_own(actor: Any, offer: ObserverOffer) -> bool:
    state = focal_state(actor)
    return state is not None and offer.state_id == state.pk


def offer_visible(actor: Any, offer: ObserverOffer) -> None:
    """HR, ODIHR and the offering State's focal points; nobody else learns the offer exists."""
    require_user(actor)
    if is_system(actor) or is_hr(actor) or is_odihr(actor) or _is_own(actor, offer):
        return
    raise NotVisible()


def offer_change(actor: Any, offer: ObserverOffer) -> None:
    """Change or withdraw an offer: the offering State's focal point."""
    offer_visible(actor, offer)
    require(actor, _is_own(actor, offer), _("Only the offering State changes or withdraws its offer."))


def named_observers_visible(actor: Any, offer: ObserverOffer) -> bool:
    """Observers' names, languages and experience: ODIHR and the offering State only (not HR)."""
    return is_system(actor) or is_odihr(actor) or _is_own(actor, offer)
