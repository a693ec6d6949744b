"""Writes for accounts: roles, API tokens, login failures."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, FocalPoint, LoginFailure, hash_token, new_raw_token
from accounts.roles import ROLE_FOCAL_POINT, ROLES, forget_roles
from core.audit import audit_record
from core.errors import Invalid
from states.models import Partner, State


@transaction.atomic
def role_grant(
    *,
    username: str,
    role: str,
    state_code: str | None = None,
    partner_code: str | None = None,
    actor: User | None = None,
) -> tuple[User, bool]:
    """Give ``role`` to ``username``, creating the user (with no usable password) if missing.

    A focal point acts for exactly one participating State (``state_code``) or one Partner for
    Co-operation (``partner_code``); granting it again moves the user to the new one. Returns the
    user and whether it was created. Invalid: an unknown role, a focal point without (or with both)
    a State and a Partner, an unknown code, a code given for another role.
    """
    if role not in ROLES:
        raise Invalid(
            errors={
                "role": _("Unknown role %(role)s: use one of %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLES)}
            }
        )
    state = partner = None
    if role == ROLE_FOCAL_POINT:
        if bool(state_code) == bool(partner_code):
            raise Invalid(
                errors={
                    "state": _(
                        "A focal point acts for one participating State (--state CODE) "
                        "or one Partner for Co-operation (--partner CODE)."
                    )
                }
            )
        if state_code:
            state = State.objects.participating(timezone.localdate()).filter(code=state_code.upper()).first()
            if state is None:
                raise Invalid(
                    errors={
                        "state": _("%(code)s is not a participating State's code.") % {"code": state_code}
                    }
                )
        else:
            partner = Partner.objects.filter(code=(partner_code or "").upper()).first()
            if partner is None:
                raise Invalid(
                    errors={
                        "partner": _("%(code)s is not a Partner for Co-operation's code.")
                        % {"code": partner_code}
                    }
                )
    elif state_code or partner_code:
        raise Invalid(errors={"state": _("Only the focal-point role acts for a State or a Partner.")})

    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)  # type: ignore[attr-defined]
    if role == ROLE_FOCAL_POINT:
        FocalPoint.objects.update_or_create(user=user, defaults={"state": state, "partner": partner})
    forget_roles(user)
    audit_record(
        actor=actor,
        action="role.granted",
        target=user,
        data={
            "role": role,
            "state": state.code if state else None,
            "partner": partner.code if partner else None,
            "created": created,
        },
    )
    return user, created


@transaction.atomic
def role_revoke(*, user: User, role: str, actor: User | None = None) -> None:
    """Take ``role`` away from ``user``."""
    user.groups.remove(*Group.objects.filter(name=role))  # type: ignore[attr-defined]
    if role == ROLE_FOCAL_POINT:
        FocalPoint.objects.filter(user=user).delete()
    forget_roles(user)
    audit_record(actor=actor, action="role.revoked", target=user, data={"role": role})


def token_create(
    *, user: User, name: str = "default", expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create an API token; returns it and the raw token, which is never stored nor shown again."""
    if expires_days is not None and expires_days < 1:
        raise Invalid(errors={"expires_days": _("A token must live at least one day.")})
    name = (name or "default").strip()[:100]
    raw = new_raw_token()
    expires = timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, digest=hash_token(raw), hint=raw[:12], expires=expires
        )
        audit_record(
            actor=user,
            action="token.created",
            target=token,
            data={"name": name, "expires": expires.isoformat() if expires else None},
        )
    return token, raw


def token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke a token; it answers 401 from then on."""
    with transaction.atomic():
        if token.revoked is None:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
            audit_record(actor=actor, action="token.revoked", target=token)
    return token


def login_locked(username: str) -> bool:
    """Whether ``username`` is locked out after too many failed logins."""
    return LoginFailure.objects.filter(username=username.lower(), locked_until__gt=timezone.now()).exists()


def login_failed(username: str) -> None:
    """Count a failed login; at the limit, lock the username for the cool-off period."""
    key = username.lower()[:150]
    now = timezone.now()
    cooloff = datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    with transaction.atomic():
        record, created = LoginFailure.objects.select_for_update().get_or_create(
            username=key, defaults={"failures": 1, "last_failure": now}
        )
        if not created:
            # Failures older than the cool-off window no longer count.
            if record.last_failure < now - cooloff:
                record.failures = 1
                record.locked_until = None
            else:
                record.failures = F("failures") + 1
            record.last_failure = now
            record.save()
            record.refresh_from_db()
        if record.failures >= settings.LOGIN_FAILURE_LIMIT and record.locked_until is None:
            record.locked_until = now + cooloff
            record.save(update_fields=["locked_until"])


def login_succeeded(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
