"""Template filters for names in the reader's language (a builtin: no ``{% load %}`` needed).

``{{ state|local_name }}`` and ``{{ "ru"|language_name }}`` print the name in the page's language,
marked ``lang="en"`` when no translation was at hand; ``{{ vacancy.languages|language_names }}``
joins several with commas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from states import names

register = template.Library()


@register.filter
def local_name(obj: Any) -> SafeString | str:
    """A State's or Partner's name in the page's language (empty for None)."""
    if obj is None or obj == "":
        return ""
    return names.local_name(obj).html()


@register.filter
def language_name(code: str) -> SafeString:
    """A language's name, from its ISO 639-1 code, in the page's language."""
    return names.language_name(code).html()


@register.filter
def language_names(codes: Iterable[str]) -> SafeString:
    """Several languages' names, comma-separated."""
    return format_html_join(", ", "{}", ((names.language_name(code).html(),) for code in codes or ()))


@register.filter
def local_name_text(obj: Any) -> str:
    """The same name as plain text, for places that hold no markup (``<title>``, attributes)."""
    if obj is None or obj == "":
        return ""
    return names.local_name(obj).text


@register.filter
def in_english(text: Any) -> SafeString:
    """Reference text kept in English (no official translation at hand), marked ``lang="en"``
    when the page is in another language."""
    return names.LocalName(str(text), names.ENGLISH).html()
