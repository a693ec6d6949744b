"""Writes for accounts: roles, API tokens, preferences, login failures."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policies
from accounts.models import ApiToken, FocalPoint, LoginFailure, Preference, hash_token, new_raw_token
from accounts.roles import ROLE_FOCAL_POINT, ROLES, forget_roles
from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Invalid, LoginRequired
from core.policies import is_system, require_user
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


DEFAULT_TOKEN_DAYS = 365


def token_create(
    *,
    user: User,
    name: str = "default",
    expires_days: int | None = DEFAULT_TOKEN_DAYS,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """Create an API token; returns it and the raw token, which is never stored nor shown again.

    It expires after a year unless ``expires_days`` says otherwise (``None``: never). A
    ``read_only`` token reads what its user may read and answers 403 to every write.
    """
    if expires_days is not None and expires_days < 1:
        raise Invalid(errors={"expires_days": _("A token must live at least one day.")})
    name = (name or "default").strip()[:100]
    raw = new_raw_token()
    expires = timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, digest=hash_token(raw), hint=raw[:12], expires=expires, read_only=read_only
        )
        audit_record(
            actor=user,
            action="token.created",
            target=token,
            data={"name": name, "expires": expires.isoformat() if expires else None, "read_only": read_only},
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


@atomic_retry
def preference_update(*, actor: User | None, user: User, language: str) -> Preference:
    """Set the language of the e-mails ``user`` receives (blank: the portal's default language).

    Only the user themselves (policy ``preference_update``). 400: a language the portal does not
    speak. Audited as ``preference.updated``.
    """
    policies.preference_update(actor, user)
    language = (language or "").strip()
    if language and language not in dict(settings.LANGUAGES):
        raise Invalid(
            errors={
                "language": _("Choose one of %(languages)s.")
                % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)}
            }
        )
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    if preference.language != language:
        preference.language = language
        preference.save(update_fields=["language", "updated"])
        audit_record(actor=actor, action="preference.updated", target=preference, data={"language": language})
    return preference


def _login_key(username: str) -> str:
    return username.lower()[:150]


# One statement counts the attempt and returns its number, so simultaneous attempts each get their
# own number and no more than the limit ever reach the password check. A counter is "stale" (starts
# over) when its lock has expired, or when it holds no lock and its last failure is older than the
# cool-off window. The lock starts with the attempt that reaches the limit and lasts the cool-off
# period; attempts refused meanwhile are counted but do not extend it.
_LOGIN_ATTEMPT_SQL = """
    INSERT INTO accounts_loginfailure AS f (username, failures, last_failure, locked_until)
    VALUES (%(username)s, 1, %(now)s, CASE WHEN %(limit)s <= 1 THEN %(lock_end)s::timestamptz END)
    ON CONFLICT (username) DO UPDATE SET
        failures = CASE
            WHEN f.locked_until <= %(now)s OR (f.locked_until IS NULL AND f.last_failure < %(window_start)s)
            THEN 1
            ELSE f.failures + 1
        END,
        last_failure = %(now)s,
        locked_until = CASE
            WHEN f.locked_until <= %(now)s OR (f.locked_until IS NULL AND f.last_failure < %(window_start)s)
            THEN EXCLUDED.locked_until
            WHEN f.locked_until IS NOT NULL THEN f.locked_until
            WHEN f.failures + 1 >= %(limit)s THEN %(lock_end)s::timestamptz
        END
    RETURNING failures
"""


def login_attempt_start(*, username: str) -> int | None:
    """Count a login attempt for ``username`` before its password is checked.

    Every attempt counts as a failure until ``login_succeeded`` resets the counter. Returns the
    attempt's number within the cool-off window, or None when the username is locked: then the
    password must not be checked at all. Atomic (one INSERT ... ON CONFLICT ... RETURNING), so a
    burst of simultaneous attempts gets no more password checks than LOGIN_FAILURE_LIMIT.
    """
    now = timezone.now()
    cooloff = datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    limit = settings.LOGIN_FAILURE_LIMIT
    params: dict[str, Any] = {
        "username": _login_key(username),
        "now": now,
        "window_start": now - cooloff,
        "lock_end": now + cooloff,
        "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(_LOGIN_ATTEMPT_SQL, params)
        (attempt,) = cursor.fetchone()
    return attempt if attempt <= limit else None


def _login_target(username: str) -> User | LoginFailure | None:
    """What a login's audit entry is about: the user, or (no such user) the username's counter."""
    user = User.objects.filter(username=username).first()
    return user or LoginFailure.objects.filter(username=_login_key(username)).first()


@transaction.atomic
def login_failed(*, username: str, attempt: int) -> None:
    """Audit a failed password check (already counted by ``login_attempt_start``); the attempt
    that reaches LOGIN_FAILURE_LIMIT also audits the lockout. The password is never recorded."""
    target = _login_target(username)
    if target is None:  # the counter was reset meanwhile by a successful login
        return
    audit_record(actor=None, action="login.failed", target=target, data={"attempt": attempt})
    if attempt == settings.LOGIN_FAILURE_LIMIT:
        audit_record(
            actor=None,
            action="login.locked",
            target=target,
            data={"failures": attempt, "minutes": settings.LOGIN_COOLOFF_MINUTES},
        )


@transaction.atomic
def login_succeeded(*, user: User) -> None:
    """Reset the username's failure counter and audit the login."""
    LoginFailure.objects.filter(username=_login_key(user.get_username())).delete()
    audit_record(actor=user, action="login.succeeded", target=user)


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """The logged-in user changes its own password: the old one must match and the new one pass
    ``AUTH_PASSWORD_VALIDATORS`` (400 otherwise). Audited as ``password.changed`` (never the
    password itself)."""
    if is_system(actor):  # a password is its owner's to change: never the system's
        raise LoginRequired()
    require_user(actor)
    user = actor
    if not user.check_password(old_password):
        raise Invalid(errors={"old_password": _("Your old password was entered incorrectly.")})
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise Invalid(errors={"new_password1": list(error.messages)}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="password.changed", target=user)
    return user
