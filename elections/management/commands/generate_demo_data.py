"""``generate_demo_data --scale N``: synthetic data of every app that has a ``<app>.demo`` module."""

from __future__ import annotations

import random
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# Each app's generator: ``<app>.demo.generate(scale=N, rng=random.Random(seed))`` returning summary
# lines. Apps without a ``demo`` module are skipped.
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
            "--scale", type=int, default=1, help="N: 1 makes about 1,000 vacancies and 50 elections."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        seed = options["seed"]
        for app in DEMO_APPS:
            if find_spec(app) is None or find_spec(f"{app}.demo") is None:
                continue
            module = import_module(f"{app}.demo")
            lines = module.generate(scale=scale, rng=random.Random(seed))
            for line in lines or []:
                self.stdout.write(str(line))
        self.stdout.write(self.style.SUCCESS(f"demo data generated (scale {scale}, seed {seed})"))
