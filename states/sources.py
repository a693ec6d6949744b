"""Sources of the reference data as a citation list: ``S01;N37`` becomes titled links.

Each reference row names its sources by key (``source`` column); ``reference/sources.md`` gives each
key's addresses and, in brackets, its title (``- N37: http://… (OSCE timeline: …)``). A key the file
does not know (``DOMAIN.md``, ``seed``) is shown as it is, without a link.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SOURCES = Path(__file__).resolve().parent / "reference" / "sources.md"

_ENTRY = re.compile(r"^- (?P<key>[A-Za-z0-9]+): (?P<text>.+)$")
_URL = re.compile(r"https?://[^\s;]+")
_TITLE = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Citation:
    """One source: its key, a title, and its addresses (none for a source that is not on the web)."""

    key: str
    title: str
    links: tuple[str, ...] = field(default_factory=tuple)


def _citation(key: str, text: str) -> Citation:
    links = tuple(_URL.findall(text))
    title = _TITLE.search(text)
    if title:
        name = title.group(1)
    elif links:
        name = urlsplit(links[0]).hostname or links[0]
    else:
        name = text.strip()
    return Citation(key=key, title=name, links=links)


@functools.cache
def _catalogue() -> dict[str, Citation]:
    catalogue = {}
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        match = _ENTRY.match(line.strip())
        if match:
            catalogue[match["key"]] = _citation(match["key"], match["text"])
    return catalogue


def citations(keys: str) -> list[Citation]:
    """The citations of a ``source`` value (``S62;S64;N21``), in its order, each once."""
    found: list[Citation] = []
    for key in dict.fromkeys(part.strip() for part in (keys or "").split(";")):
        if key:
            found.append(_catalogue().get(key) or Citation(key=key, title=key))
    return found
