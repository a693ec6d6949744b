"""The one way the portal sends e-mail: ``mail_send``.

Each recipient gets the message rendered in their own language (``accounts.Preference``, else
``LANGUAGE_CODE``), as plain text and HTML, with absolute links built from ``SITE_URL`` (an e-mail
is made outside any request, so a path alone would not be clickable), and at most once per
``key``: a ``core.Notification`` row, unique per key and recipient, is written in the same
transaction as the sending. A task that runs twice finds the row and sends nothing more; a send that
fails rolls the row back, so the retry sends it. The row is also the recipient's line on their
notifications page (``/accounts/me/notifications/``).

Templates: ``<template>_subject.txt``, ``<template>.txt`` and, optionally, ``<template>.html``
(otherwise ``email/layout.html`` shows the text with its links made clickable). Their context is the
caller's plus ``recipient`` (the user, or None for a bare address), ``site_url`` and ``url`` (the
absolute form of ``path``). ``{% load mail %}{% site_url "app:name" arg %}`` makes other links.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from html import unescape as unescape_html
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string, select_template
from django.utils import translation

from accounts.models import languages_of
from core.models import Notification

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """``path`` (``/vacancies/VN…/``) as an address outside the portal (``SITE_URL`` + path)."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def _render(template: str, context: Mapping[str, Any], language: str) -> tuple[str, str, str]:
    """Subject (one line), text and HTML of ``template`` in ``language``."""
    with translation.override(language):
        # One line of plain text: the template escaped its values for HTML (a State "d'Amérique"
        # became "d&#x27;Amérique"); unescaping undoes exactly that one escape.
        subject = unescape_html(" ".join(render_to_string(f"{template}_subject.txt", context).split()))
        text = render_to_string(f"{template}.txt", context).strip() + "\n"
        html = select_template([f"{template}.html", "email/layout.html"]).render(
            {**context, "subject": subject, "text": text, "language": language}
        )
    return subject, text, html


def _send_one(
    *,
    user: Any,
    email: str,
    language: str,
    template: str,
    context: Mapping[str, Any],
    key: str,
    url: str,
) -> bool:
    """Record and send one recipient's message unless recorded already; True when recorded now."""
    subject, text, html = _render(template, {**context, "recipient": user}, language)
    try:
        with transaction.atomic():
            Notification.objects.create(
                key=key[:200],
                template=template[:100],
                user=user,
                email=email,
                language=language,
                subject=subject[:300],
                url=url,
            )
            if email:
                message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [email])
                message.attach_alternative(html, "text/html")
                message.send()
    except IntegrityError:  # sent already (or a concurrent run is sending it now)
        return False
    # Never log the address: it is personal data.
    logger.info("sent %s %s", template, key)
    return True


def mail_send(
    *,
    to_users: Iterable[Any],
    template: str,
    context: Mapping[str, Any],
    key: str,
    path: str = "",
    to_addresses: Iterable[str] = (),
) -> int:
    """Send ``template`` to each active user of ``to_users`` (and to each bare address of
    ``to_addresses``, e.g. a Partner's contact mailbox, in the default language), once per ``key``.

    ``path`` is the page the notification is about; it becomes the absolute ``url`` of the e-mail
    and of the notification's line in the portal. A user without an e-mail address still finds the
    notification in the portal. Returns how many recipients were notified now. An error from the
    mail server propagates (after rolling back that recipient's row) so the task is retried.
    """
    users = sorted(
        {user.pk: user for user in to_users if user is not None and user.is_active}.values(),
        key=lambda user: user.pk,
    )
    languages = languages_of([user.pk for user in users])
    url = absolute_url(path)
    base = {**context, "site_url": settings.SITE_URL.rstrip("/"), "url": url}
    sent = 0
    for user in users:
        sent += _send_one(
            user=user,
            email=(user.email or "").strip().lower(),
            language=languages.get(user.pk, settings.LANGUAGE_CODE),
            template=template,
            context=base,
            key=key,
            url=url,
        )
    for address in sorted({address.strip().lower() for address in to_addresses if address.strip()}):
        sent += _send_one(
            user=None,
            email=address,
            language=settings.LANGUAGE_CODE,
            template=template,
            context=base,
            key=key,
            url=url,
        )
    return sent
