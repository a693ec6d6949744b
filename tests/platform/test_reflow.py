"""Every page on a phone and zoomed in (WCAG 1.4.10 reflow, 2.5.8 target size), unchanged on a desktop.

One browser session walks every row of ``tests.platform.pages.PAGES``:

- at 320 x 640 CSS px the page is no wider than the viewport (a data table may scroll, inside its
  own labelled, keyboard-focusable box), controls are at least 24 x 24 px and axe (WCAG 2.2 A/AA and
  best practices) finds nothing; a page that fails leaves a screenshot in var/test-artifacts/reflow/;
- at 1280 px the layout is the desktop one (navigation laid out in a row, no menu button, nothing
  scrolling sideways, not even with the text at 200%), and a few pages whose content is fixed match
  the screenshots committed in tests/platform/baselines/ (``UPDATE_BASELINES=1`` rewrites them).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.platform.pages import PAGES, PageCase, log_in, portal_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "reflow"
BASELINES = Path(__file__).parent / "baselines"
# Pages whose content does not depend on the day the test runs: compared pixel by pixel at 1280 px.
BASELINE_PAGES = ["states", "dimensions", "field operations", "vacancies", "vacancy", "login"]
# Masked in the comparison: the main navigation (other work adds links to it; its layout is checked
# separately, on every page).
BASELINE_MASK = [".site-header nav"]
# A pixel counts as changed when a colour channel moves by more than this; a page may change this
# share of its pixels (anti-aliasing noise) and still match.
PIXEL_THRESHOLD = 32
CHANGED_SHARE = 0.002

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('.table-scroll')) continue;
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      const text = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      const tag = `<${element.tagName.toLowerCase()} class="${element.className}">`;
      found.push(`${tag} ${Math.round(box.right)}px "${text}"`);
    }
  }
  return found.slice(-4);
}"""

TABLE_BOXES = """() => Array.from(document.querySelectorAll('main table')).flatMap((table) => {
  const box = table.parentElement;
  const name = (table.caption ? table.caption.textContent : 'a table without caption').trim();
  if (!box || !box.classList.contains('table-scroll')) return [`${name}: not in a .table-scroll box`];
  const label = document.getElementById(box.getAttribute('aria-labelledby') || '');
  const problems = [];
  if (box.getAttribute('role') !== 'region') problems.push('no role=region');
  if (box.tabIndex !== 0) problems.push('not focusable');
  if (!label || !label.textContent.trim()) problems.push('no aria-labelledby naming it');
  if (getComputedStyle(box).overflowX !== 'auto') problems.push('does not scroll');
  return problems.length ? [`${name}: ${problems.join(', ')}`] : [];
})"""

SMALL_TARGETS = """() => {
  const selector = 'button, select, summary, input:not([type=hidden]):not([type=checkbox]):not([type=radio]),'
    + ' .button, .nav a, .pagination a, .account a';
  return Array.from(document.querySelectorAll(selector)).flatMap((element) => {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) return [];  // not shown (a closed menu)
    if (box.width >= 24 && box.height >= 24) return [];
    const text = (element.textContent || element.name || '').trim().slice(0, 30);
    const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
    return [`<${element.tagName.toLowerCase()}> "${text}" ${size}`];
  });
}"""

DESKTOP_NAVIGATION = """() => {
  const menu = document.querySelector('.site-header nav summary');
  const links = Array.from(document.querySelectorAll('.site-header nav .nav a'));
  const shown = (e) => {
    const b = e.getBoundingClientRect();
    return e.checkVisibility() && b.width > 0 && b.height > 0;
  };
  const problems = [];
  if (!links.length) return problems;  // a page without the portal's frame (the printable notice)
  if (menu && shown(menu)) problems.push('a menu button is shown');
  if (links.length < 2 || !links.every(shown)) problems.push('navigation links are hidden');
  else {
    const [first, second] = links.map((a) => a.getBoundingClientRect());
    if (Math.abs(first.top - second.top) > 1 || second.left <= first.right)
      problems.push('navigation not in a row');
  }
  for (const box of document.querySelectorAll('.table-scroll'))
    if (box.scrollWidth > box.clientWidth)
      problems.push(`a table scrolls: ${box.textContent.trim().slice(0, 40)}`);
  return problems;
}"""


@pytest.fixture
def portal(alice: Any, bob: Any, dave: Any) -> dict[str, Any]:
    return portal_pages(alice=alice, bob=bob, dave=dave)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _by_user(pages: list[PageCase]) -> list[PageCase]:
    """The rows grouped by who is logged in (one log-in each), in their order within a group."""
    order: dict[str | None, int] = {}
    for case in pages:
        order.setdefault(case.who, len(order))
    return sorted(pages, key=lambda case: order[case.who])


def _open(page: Any, case: PageCase, data: dict[str, Any], who: list[str | None]) -> str | None:
    """Go to the page as its user; a problem (wrong status, redirected away) or None."""
    if not who or who[0] != case.who:
        log_in(page, case.who)
        who[:] = [case.who]
    address = case.address(data)
    response = page.goto(address)
    status = response.status if response else None
    if status != case.status:
        return f"{case.name} ({address}): answered {status}, not {case.status}"
    if not page.url.endswith(address):
        return f"{case.name} ({address}): ended at {page.url}"
    return None


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return [f"{v['id']} ({len(v['nodes'])})" for v in results.response["violations"]]


def _markup_problems(page: Any) -> list[str]:
    """What the portal's own markup must have on a phone: a viewport, table boxes, targets, no axe."""
    found = []
    if not page.locator('meta[name=viewport][content*="width=device-width"]').count():
        found.append("no <meta name=viewport content=width=device-width>: phones lay it out 980px wide")
    found += page.evaluate(TABLE_BOXES)
    found += [f"target under 24x24: {small}" for small in page.evaluate(SMALL_TARGETS)]
    found += [f"axe: {violation}" for violation in _axe(page)]
    return found


def test_every_page_reflows_at_320_px(page: Any, portal: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    who: list[str | None] = []
    for case in _by_user(PAGES):
        problem = _open(page, case, portal, who)
        if problem:
            problems.append(problem)
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        found = []
        if width > PHONE["width"]:
            found.append(f"{width}px wide, by {page.evaluate(OVERFLOWING)}")
        if case.ours:
            found += _markup_problems(page)
        if found:
            shot = ARTIFACTS / f"{_slug(case.name)}-320.png"
            page.screenshot(path=str(shot), full_page=True)
            problems.append(f"{case.name} ({page.url}): {'; '.join(found)} [screenshot: {shot}]")
    assert not problems, "At 320 CSS px:\n" + "\n".join(problems)


def test_the_menu_opens_without_javascript_from_the_keyboard(page: Any, live_server: Any) -> None:
    context = page.context.browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    try:
        phone = context.new_page()
        phone.goto("/")
        first_link = phone.locator(".site-header nav .nav a").first
        menu = phone.locator(".site-header nav summary")
        assert menu.is_visible() and not first_link.is_visible(), "the menu starts closed on a phone"
        for _ in range(3):  # the skip link, the portal's name, then the menu button
            phone.keyboard.press("Tab")
            if phone.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        assert phone.evaluate("document.activeElement.tagName") == "SUMMARY", "the menu is a tab stop"
        phone.keyboard.press("Enter")
        assert first_link.is_visible(), "Enter opens the menu"
        phone.keyboard.press("Tab")
        assert phone.evaluate("document.activeElement.textContent.trim()") == "States"
        phone.set_viewport_size(DESKTOP)
        phone.reload()
        assert not menu.is_visible() and first_link.is_visible(), "no menu button on a desktop"
        main = phone.get_by_role("navigation", name="Main")
        assert main.get_by_role("link", name="States").is_visible(), "the links are in the accessibility tree"
    finally:
        context.close()


def test_desktop_layout_is_unchanged(page: Any, portal: dict[str, Any]) -> None:
    page.set_viewport_size(DESKTOP)
    problems: list[str] = []
    who: list[str | None] = []
    for case in _by_user(PAGES):
        problem = _open(page, case, portal, who)
        if problem:
            problems.append(problem)
            continue
        found = list(page.evaluate(DESKTOP_NAVIGATION))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > DESKTOP["width"]:
            found.append(f"{width}px wide")
        # Through the CSSOM: the pages' CSP refuses an injected <style> without its nonce.
        page.evaluate("document.documentElement.style.setProperty('font-size', '200%', 'important')")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > DESKTOP["width"]:
            found.append(f"{width}px wide with the text at 200%, by {page.evaluate(OVERFLOWING)}")
        if found:
            problems.append(f"{case.name} ({page.url}): {'; '.join(found)}")
    assert not problems, "At 1280 CSS px:\n" + "\n".join(problems)


def _changed_pixels(difference: Any) -> Any:
    """White where any colour channel moved by more than PIXEL_THRESHOLD, black elsewhere."""
    from PIL import ImageChops

    red, green, blue = (
        band.point(lambda v: 255 if v > PIXEL_THRESHOLD else 0) for band in difference.split()
    )
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def _browser_version(page: Any) -> str:
    return str(page.context.browser.version).split(".")[0]


def test_desktop_pages_match_their_screenshots(page: Any, portal: dict[str, Any]) -> None:
    from PIL import Image, ImageChops

    page.set_viewport_size(DESKTOP)
    version_file = BASELINES / "browser.json"
    updating = os.environ.get("UPDATE_BASELINES") == "1"
    if updating:
        BASELINES.mkdir(parents=True, exist_ok=True)
        version_file.write_text(json.dumps({"chromium": _browser_version(page)}) + "\n")
    made_with = json.loads(version_file.read_text())["chromium"]
    if made_with != _browser_version(page):
        pytest.skip(
            f"baselines made with Chromium {made_with}, this is {_browser_version(page)} (fonts render "
            "differently): UPDATE_BASELINES=1 pytest -k match_their_screenshots rewrites them"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cases = {case.name: case for case in PAGES}
    problems: list[str] = []
    who: list[str | None] = []
    for name in BASELINE_PAGES:
        case = cases[name]
        problem = _open(page, case, portal, who)
        if problem:
            problems.append(problem)
            continue
        baseline = BASELINES / f"{_slug(name)}-1280.png"
        shot = ARTIFACTS / baseline.name
        page.screenshot(
            path=str(baseline if updating else shot),
            mask=[page.locator(selector) for selector in BASELINE_MASK],
            animations="disabled",
            caret="hide",
        )
        if updating:
            continue
        with Image.open(baseline) as expected, Image.open(shot) as actual:
            if expected.size != actual.size:
                problems.append(f"{name}: {actual.size} instead of {expected.size} [{shot}]")
                continue
            changes = _changed_pixels(ImageChops.difference(expected.convert("RGB"), actual.convert("RGB")))
            share = changes.histogram()[255] / (expected.width * expected.height)
            if share > CHANGED_SHARE:
                diff = ARTIFACTS / f"{_slug(name)}-1280-diff.png"
                changes.save(diff)
                problems.append(f"{name}: {share:.2%} of the pixels changed [now: {shot}, changes: {diff}]")
    assert not problems, (
        "At 1280 CSS px these pages no longer look as in tests/platform/baselines/ (if the change is "
        "wanted: UPDATE_BASELINES=1 pytest tests/platform/test_reflow.py -k match_their_screenshots):\n"
        + "\n".join(problems)
    )
