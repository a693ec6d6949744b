"""Links in e-mails: ``{% load mail %}{% site_url "secondments:detail" vacancy.reference %}``.

An e-mail is read outside the portal, so its links carry the portal's public address
(``SITE_URL``), never a bare path.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from core.mail import absolute_url

register = template.Library()


@register.simple_tag
def site_url(view_name: str, *args: Any) -> str:
    """The absolute address of the page ``view_name`` (reversed with ``args``)."""
    return absolute_url(reverse(view_name, args=args))
