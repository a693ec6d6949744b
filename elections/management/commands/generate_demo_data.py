"""``generate_demo_data --scale N``: synthetic data of every app that has a ``<app>.demo`` module."""

from __future__ import annotations

import inspect
import random
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import mirror
from core.db import analyse

# Each app's generator: ``<app>.demo.generate(scale=N, rng=random.Random(seed))`` returning summary
# lines; a generator that takes ``progress`` also gets a callable printing a progress line, and one
# that takes ``nominations_per_vacancy`` gets that option. Apps without a ``demo`` module are skipped.
DEMO_APPS = ("missions", "secondments", "elections")
DEFAULT_SEED = 1975


class Command(BaseCommand):
    help = (
        "Add synthetic demo data for load tests and screenshots: about 50*N elections (with activities, "
        "offers, reports and recommendations), and the vacancies, nominations and projects of the apps "
        "that provide a generator. Every row is marked as demo. Reproducible: each app first deletes its "
        "previous demo rows, then regenerates them from a fixed random seed (--seed), so running it "
        "twice leaves the same data, not twice as much."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1,
            help="N: 1 makes about 1,000 vacancies, 100 projects and 50 elections; 100 makes 100 times "
            "as many. A fraction (0.05) makes a small sample.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s)."
        )
        parser.add_argument(
            "--nominations-per-vacancy",
            type=float,
            default=None,
            help="Average nominations per published vacancy (default 3; the benchmark uses 10, so that "
            "scale 100 makes about 1,000,000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        if not scale > 0 or scale > 1000:
            raise CommandError("--scale must be more than 0 (and at most 1000)")
        if scale == int(scale):
            scale = int(scale)  # N stays an integer for the generators and in the summary
        seed = options["seed"]
        per_vacancy = options["nominations_per_vacancy"]
        if per_vacancy is not None and not 0 <= per_vacancy <= 100:
            raise CommandError("--nominations-per-vacancy must be between 0 and 100")
        self._last_kind = ""
        for app in DEMO_APPS:
            if find_spec(app) is None or find_spec(f"{app}.demo") is None:
                continue
            module = import_module(f"{app}.demo")
            extra: dict[str, Any] = {}
            parameters = inspect.signature(module.generate).parameters
            if "progress" in parameters:
                extra["progress"] = self._progress
            if per_vacancy is not None and "nominations_per_vacancy" in parameters:
                extra["nominations_per_vacancy"] = per_vacancy
            lines = module.generate(scale=scale, rng=random.Random(seed), **extra)
            self._end_bar()
            for line in lines or []:
                self.stdout.write(str(line))
        analyse()  # the planner's statistics of the tables just filled
        mirror.refresh()  # COPY through the raw cursor is not seen by the mirror's write hook
        self.stdout.write(self.style.SUCCESS(f"demo data generated (scale {scale}, seed {seed})"))

    def _progress(self, line: str) -> None:
        """A line per batch; on a terminal, a bar redrawn in place while its kind stays the same."""
        if not self.stdout.isatty():
            self.stdout.write(line)
            self.stdout.flush()
            return
        kind = line.split(" ", 1)[0]
        if kind != self._last_kind:
            self._end_bar()
        self.stdout.write(f"\r{line}\x1b[K", ending="")
        self.stdout.flush()
        self._last_kind = kind

    def _end_bar(self) -> None:
        if self._last_kind:
            self.stdout.write("")
            self._last_kind = ""
