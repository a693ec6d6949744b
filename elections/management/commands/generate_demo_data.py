"""``generate_demo_data --scale N``: synthetic data of every app that has a ``<app>.demo`` module."""

from __future__ import annotations

import inspect
import random
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# Each app's generator: ``<app>.demo.generate(scale=N, rng=random.Random(seed))`` returning summary
# lines; a generator that takes ``progress`` also gets a callable printing a progress line. Apps
# without a ``demo`` module are skipped.
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

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        if not scale > 0 or scale > 1000:
            raise CommandError("--scale must be more than 0 (and at most 1000)")
        if scale == int(scale):
            scale = int(scale)  # N stays an integer for the generators and in the summary
        seed = options["seed"]
        for app in DEMO_APPS:
            if find_spec(app) is None or find_spec(f"{app}.demo") is None:
                continue
            module = import_module(f"{app}.demo")
            extra: dict[str, Any] = {}
            if "progress" in inspect.signature(module.generate).parameters:
                extra["progress"] = self._progress
            lines = module.generate(scale=scale, rng=random.Random(seed), **extra)
            for line in lines or []:
                self.stdout.write(str(line))
        self.stdout.write(self.style.SUCCESS(f"demo data generated (scale {scale}, seed {seed})"))

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
