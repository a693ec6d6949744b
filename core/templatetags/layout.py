"""Layout tags every template has (registered as a template builtin in settings, no ``{% load %}``).

``{% tablescroll %}<table><caption>…</caption>…</table>{% endtablescroll %}`` puts a data table in
its own box that scrolls sideways on a narrow screen, so the page itself reflows at 320 CSS px
(WCAG 1.4.10). The box is a keyboard-focusable region named by the table's caption: the caption gets
an id from its text unless it has one, unique within the page being rendered.
"""

from __future__ import annotations

import html
import re

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

register = template.Library()

_CAPTION = re.compile(r"<caption\b([^>]*)>(.*?)</caption>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_USED_IDS = "_tablescroll_ids"  # kept in the page's root context: shared by its includes


def _unique_id(context: Context, text: str) -> str:
    used: set[str] = context.dicts[0].setdefault(_USED_IDS, set())
    base = "table-" + (slugify(html.unescape(strip_tags(text)), allow_unicode=True)[:40].strip("-") or "data")
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate


class TableScrollNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        rendered: str = self.nodelist.render(context)
        caption = _CAPTION.search(rendered)
        if caption is None:
            return format_html(
                '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
                gettext("Table"),
                mark_safe(rendered),  # noqa: S308 (the rendered template, already escaped)
            )
        existing = _ID.search(caption.group(1))
        if existing:
            label = existing.group(1)
        else:
            label = _unique_id(context, caption.group(2))
            opening = format_html('<caption id="{}"', label) + caption.group(1) + ">"
            rendered = rendered[: caption.start()] + opening + rendered[caption.start(2) :]
        return format_html(
            '<div class="table-scroll" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            label,
            mark_safe(rendered),  # noqa: S308 (the rendered template, already escaped)
        )


@register.tag
def tablescroll(parser: Parser, token: Token) -> TableScrollNode:
    """``{% tablescroll %}<table>…</table>{% endtablescroll %}``: see the module's docstring."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% tablescroll %} takes no arguments")
    nodelist = parser.parse(("endtablescroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist)
