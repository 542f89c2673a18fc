"""``maille demo``: a small realistic co-op, or a large synthetic one for benchmarks.

    maille demo                                   # small co-op with demo logins
    maille demo --members 20000 --clients 60000 --seed 1
    maille demo --invoices 1000000 --seed 1       # issued invoices for the synthetic co-op
    maille demo --ledger-months 12 --seed 1       # bulk journal lines (ledger benchmarks)

The steps and their order are listed in ``maille/demo/steps.py``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from maille.core.models import User
from maille.demo.steps import LARGE_STEPS, SMALL_STEPS, Progress, logins


def _dest(option: str) -> str:
    return option.replace("-", "_")


class Command(BaseCommand):
    help = "Load demo data: a small realistic co-op, or a large synthetic data set."

    def add_arguments(self, parser: CommandParser) -> None:
        for step in LARGE_STEPS:
            parser.add_argument(f"--{step.option}", type=int, default=0, help=step.help)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Demo logins have a published password: never in a real co-op.
            raise CommandError("maille demo is refused with MAILLE_PRODUCTION=1.")
        if any(options[_dest(step.option)] for step in LARGE_STEPS):
            self._large(options)
        else:
            self._small()

    def _small(self) -> None:
        if User.objects.filter(email="admin@maille.coop").exists():
            self.stdout.write("Demo co-op already loaded.")
            return
        with transaction.atomic():
            staff = logins()
            for step in SMALL_STEPS:
                step.load(staff)
        self.stdout.write(self.style.SUCCESS("Demo co-op loaded. Logins (password maille-demo):"))
        for line in (
            "  admin   admin@maille.coop",
            "  staff   conseil@maille.coop",
            "  member  camille@exemple.ca   (second member: jerome@exemple.ca)",
            "  client  nathalie.roy@courte-echelle.example",
        ):
            self.stdout.write(line)

    def _large(self, options: dict[str, Any]) -> None:
        seed = options["seed"]
        started = time.monotonic()

        def progress(label: str) -> Progress:
            def report(done: int, total: int) -> None:
                sys.stderr.write(f"\r{label}: {done}/{total} ({100 * done // total} %)")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

            return report

        try:
            for step in LARGE_STEPS:
                count = options[_dest(step.option)]
                if count:
                    step.run(count, seed, progress(step.option.split("-")[0]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Generated in {time.monotonic() - started:.1f} s.")
