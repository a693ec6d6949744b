"""Screenshots of the portal on a phone (320 CSS px wide) for the README.

Run against a portal with demo data, e.g.::

    .venv/bin/python manage.py generate_demo_data --scale 0.1
    make run &                       # or any running portal
    .venv/bin/python docs/screenshots/make.py --base-url http://127.0.0.1:8000

Needs the dev extras (Playwright) and Debian's Chromium (/usr/bin/chromium). Writes the PNGs next to
this file: the vacancies list, a vacancy, a field operation, a State page and the open menu.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).parent
PHONE = {"width": 320, "height": 640}
HEIGHT = 900  # of each picture: a phone screen and a half


def shoot(page: Page, name: str, top: float = 0) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    top = max(0, min(top, height - HEIGHT))
    clip = {"x": 0, "y": top, "width": PHONE["width"], "height": min(HEIGHT, height)}
    page.screenshot(path=str(HERE / f"{name}.png"), clip=clip, full_page=True, animations="disabled")
    print(f"{name}.png ({page.url})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page(base_url=args.base_url, viewport=PHONE, java_script_enabled=False)
        page.goto("/vacancies/?status=open")
        caption = page.locator("main caption").first.bounding_box()
        shoot(page, "vacancies-320", top=caption["y"] - 80 if caption else 0)
        page.locator("main table a").first.click()
        shoot(page, "vacancy-320")
        page.goto("/missions/mission-to-bosnia-and-herzegovina/")
        shoot(page, "mission-320")
        page.goto("/states/AT/")
        shoot(page, "state-320")
        page.goto("/")
        page.locator(".site-header summary").click()
        shoot(page, "menu-320")
        browser.close()


if __name__ == "__main__":
    main()
