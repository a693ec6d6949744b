"""Screenshots of the portal for the README: the main pages at 1280 px, and a few at 320 px (a phone).

``make screenshots`` (or ``.venv/bin/python docs/screenshots/make.py``) starts a portal of its own
on a throwaway database (the embedded PostgreSQL and Redis under ``var/screenshots/``, whatever
``DATABASE_URL`` says: demo data never lands in a real database), loads the reference data and demo
data, lets HR publish a vacancy and a focal point nominate to it (so the focal point has a
notification), serves it, and photographs it with Playwright and Debian's Chromium
(``/usr/bin/chromium``). ``--base-url URL`` photographs a portal already running instead (public
pages only). Writes the PNGs next to this file, reduced to 256 colours to stay small.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connections
from PIL import Image
from playwright.sync_api import Page, sync_playwright

from osce_portal import embedded
from tests.platform.pages import PASSWORD, log_in  # the browser tests' login; a throwaway database

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent.parent
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
HEIGHT = 900  # of each phone picture: a phone screen and a half


def _small(path: Path) -> None:
    """256 colours: a page's few flat colours survive, the file is a third of the size."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def shoot_phone(page: Page, name: str, top: float = 0) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    top = max(0, min(top, height - HEIGHT))
    clip = {"x": 0, "y": top, "width": PHONE["width"], "height": min(HEIGHT, height)}
    path = HERE / f"{name}.png"
    page.screenshot(path=str(path), clip=clip, full_page=True, animations="disabled")
    _small(path)
    print(f"{name}.png ({page.url})")


def shoot_desktop(page: Page, name: str, address: str) -> None:
    page.goto(address)
    path = HERE / f"{name}-1280.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    _small(path)
    print(f"{path.name} ({page.url})")


def phone_pictures(page: Page) -> None:
    page.goto("/vacancies/?status=open")
    caption = page.locator("main caption").first.bounding_box()
    shoot_phone(page, "vacancies-320", top=caption["y"] - 80 if caption else 0)
    page.locator("main table a").first.click()
    shoot_phone(page, "vacancy-320")
    page.goto("/missions/mission-to-bosnia-and-herzegovina/")
    shoot_phone(page, "mission-320")
    page.goto("/states/AT/")
    shoot_phone(page, "state-320")
    page.goto("/")
    page.locator(".site-header summary").click()
    shoot_phone(page, "menu-320")


def desktop_pictures(page: Page, made: dict[str, Any] | None) -> None:
    shoot_desktop(page, "home", "/")
    shoot_desktop(page, "vacancies", "/vacancies/?status=open")
    shoot_desktop(page, "field-operation", "/missions/mission-to-bosnia-and-herzegovina/")
    shoot_desktop(page, "elections", "/elections/")
    if made is None:  # a portal running elsewhere: public pages only
        return
    shoot_desktop(page, "vacancy", f"/vacancies/{made['vacancy']}/")
    log_in(page, made["hr"])
    shoot_desktop(page, "nominations-hr", "/nominations/")
    log_in(page, made["focal_point"])
    shoot_desktop(page, "nomination-focal-point", f"/nominations/{made['nomination']}/")
    shoot_desktop(page, "account-focal-point", "/accounts/me/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _portal_env(data_dir: Path, site_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL", "EMAIL_URL", "EMAIL_HOST"}
    }
    env.update(
        DATA_DIR=str(data_dir),
        DEBUG="1",  # static files straight from the source folders: no collectstatic needed
        EMAIL_URL="locmem://",
        SITE_URL=site_url,
        DJANGO_SETTINGS_MODULE="osce_portal.settings.base",
    )
    return env


def _fill(env: dict[str, str]) -> dict[str, Any]:
    """Reference and demo data, then what people do (in this process, on the portal's database):
    HR publishes a vacancy, Austria's focal point nominates, HR shortlists after the deadline."""
    os.environ.update(env)
    # Imported here, not at the top: the settings read the environment set just above, and the
    # models need django.setup().
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.services import preference_update, role_grant
    from missions.models import FieldOperation
    from secondments import notifications, services
    from states.models import Dimension, State

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("generate_demo_data", scale=0.05, verbosity=0)
    users: dict[str, User] = {}
    for username, role, state in (("hr.officer", "hr", None), ("focal.austria", "focal-point", "AT")):
        user, _created = role_grant(username=username, role=role, state_code=state)
        user.set_password(PASSWORD)
        user.email = f"{username}@example.org"
        user.save()
        users[role] = user
    hr, focal = users["hr"], users["focal-point"]
    preference_update(actor=focal, user=focal, language="en")
    vacancy = services.vacancy_create(
        actor=hr,
        title="Rule of Law Officer",
        field_operation=FieldOperation.objects.get(slug="mission-to-bosnia-and-herzegovina"),
        duty_station="Sarajevo",
        grade="S2",
        dimension=Dimension.objects.get(slug="human"),
        posts=1,
        description="The Mission supports the judiciary of Bosnia and Herzegovina in trying war crimes.",
        requirements="A law degree and five years of experience with courts.",
        languages=["en"],
        deadline=timezone.localdate() + datetime.timedelta(days=21),
    )
    vacancy = services.vacancy_publish(actor=hr, vacancy=vacancy)
    nomination = services.nomination_submit(
        actor=focal,
        vacancy=vacancy,
        given_name="Anna",
        family_name="Huber",
        email="anna.huber@example.org",
        nationality=State.objects.get(code="AT"),
        gender="female",
        motivation="Ten years as a judge at the Vienna Regional Court.",
    )
    # No Celery worker runs here: the notifications the tasks would send, sent directly.
    notifications.vacancy_alert(vacancy_id=vacancy.pk)
    notifications.nomination_received(nomination_id=nomination.pk)
    return {
        "vacancy": vacancy.reference,
        "nomination": nomination.pk,
        "hr": hr.username,
        "focal_point": focal.username,
    }


@contextmanager
def own_portal(data_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Start a portal on a throwaway database under ``data_dir``; yield its address and what was made."""
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _portal_env(data_dir, base_url)
    made = _fill(env)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=2)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("the portal did not start")
        yield base_url, made
    finally:
        server.send_signal(signal.SIGINT)  # like Ctrl-C: it exits cleanly and lets go of the database
        server.wait(timeout=30)
        connections.close_all()  # then the embedded servers stop: nothing is left running
        embedded.redis_stop()
        embedded.postgres_stop()


def photograph(base_url: str, chromium: str, made: dict[str, Any] | None) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        desktop = browser.new_page(base_url=base_url, viewport=DESKTOP)
        desktop_pictures(desktop, made)
        phone = browser.new_page(base_url=base_url, viewport=PHONE, java_script_enabled=False)
        phone_pictures(phone)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base-url", help="photograph this running portal instead of starting one")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--data-dir", default=str(BASE_DIR / "var" / "screenshots"))
    args = parser.parse_args()
    if args.base_url:
        photograph(args.base_url, args.chromium, None)
        return
    with own_portal(Path(args.data_dir).resolve()) as (base_url, made):
        photograph(base_url, args.chromium, made)


if __name__ == "__main__":
    main()
