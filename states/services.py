"""Writes of the states app: a focal point keeps its State's permanent mission up to date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Invalid, full_clean
from states import policies
from states.models import Body, Delegation, Diplomat


@dataclass(frozen=True)
class MemberData:
    """One diplomat of a permanent mission as the focal point gives it: ``id`` of a member already
    listed (None for a new one), the name, the title, and the slugs of the bodies they follow."""

    name: str
    title: str = ""
    bodies: Sequence[str] = field(default_factory=tuple)
    id: int | None = None


@atomic_retry
def delegation_update(
    *,
    actor: Any,
    delegation: Delegation,
    head_name: str,
    head_title: str,
    address: str,
    members: Sequence[MemberData] | None = None,
) -> Delegation:
    """The State's focal point updates its permanent mission: the head, the head's title, the
    address and, when ``members`` is given, the list of its diplomats.

    ``members`` is the whole list: an entry with an ``id`` updates that member, one without adds a
    member (at the end of the list), and a member left out is removed; None leaves the members as
    they are. Rules: only the focal point of the mission's own State (another State's: NotVisible;
    anyone else: NotAllowed); text is trimmed and checked against the model; every member has a
    name, is listed once, belongs to this mission, and follows known bodies (Invalid, and then
    nothing is written). Audited once, with the fields that changed and the members added,
    changed and removed, by name.
    """
    policies.delegation_edit(actor, delegation)
    delegation = Delegation.objects.select_for_update(of=("self",)).get(pk=delegation.pk)
    values = {"head_name": head_name, "head_title": head_title, "address": address}
    changed: dict[str, Any] = {}
    for name, value in values.items():
        value = (value or "").strip()
        if getattr(delegation, name) != value:
            changed[name] = value
            setattr(delegation, name, value)
    full_clean(delegation)
    delegation.save()
    if members is not None:
        changes = _members_update(delegation, members)
        if changes:
            changed["members"] = changes
    audit_record(actor=actor, action="delegation.updated", target=delegation, data=changed)
    return delegation


def _members_update(delegation: Delegation, members: Sequence[MemberData]) -> dict[str, list[str]]:
    """Make ``delegation``'s diplomats ``members`` (checked first, all of them; then written);
    returns the names added, changed and removed (only the non-empty lists)."""
    current = {member.pk: member for member in delegation.members.prefetch_related("bodies")}
    wanted_bodies = {slug for member in members for slug in member.bodies}
    bodies = {body.slug: body for body in Body.objects.filter(slug__in=wanted_bodies)}
    errors: list[str] = []
    seen: set[int] = set()
    planned: list[tuple[Diplomat, list[Body], bool]] = []  # (member, bodies, changed)
    next_order = (delegation.members.aggregate(last=Max("order"))["last"] or 0) + 1
    for number, data in enumerate(members, start=1):
        if data.id is not None and (data.id not in current or data.id in seen):
            # Another mission's member (or a made-up id) is never touched, nor said to exist.
            errors.append(_("Member %(number)s: not a member of this mission.") % {"number": number})
            continue
        unknown = sorted(set(data.bodies) - set(bodies))
        if unknown:
            errors.append(
                _("Member %(number)s: unknown bodies: %(slugs)s.")
                % {"number": number, "slugs": ", ".join(unknown)}
            )
        name, title = (data.name or "").strip(), (data.title or "").strip()
        if not name:
            errors.append(_("Member %(number)s: give a name.") % {"number": number})
        if data.id is not None:
            seen.add(data.id)
            member = current[data.id]
            before = (member.name, member.title, {body.slug for body in member.bodies.all()})
            member.name, member.title = name, title
            is_changed = before != (name, title, set(data.bodies))
        else:
            member = Diplomat(delegation=delegation, name=name, title=title, order=next_order)
            next_order += 1
            is_changed = True
        try:
            full_clean(member, exclude=["delegation"] if name else ["delegation", "name"])
        except Invalid as error:
            errors.extend(
                _("Member %(number)s: %(message)s") % {"number": number, "message": message}
                for message in error.messages
            )
        planned.append((member, [bodies[slug] for slug in data.bodies if slug in bodies], is_changed))
    if errors:
        raise Invalid(errors={"members": errors})
    removed = [member for pk, member in current.items() if pk not in seen]
    Diplomat.objects.filter(pk__in=[member.pk for member in removed]).delete()
    changes: dict[str, list[str]] = {"added": [], "changed": [], "removed": [m.name for m in removed]}
    for member, followed, is_changed in planned:
        if not is_changed:
            continue
        changes["changed" if member.pk else "added"].append(member.name)
        member.save()
        member.bodies.set(followed)
    return {kind: names for kind, names in changes.items() if names}
