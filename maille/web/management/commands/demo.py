"""``maille demo``: a small realistic co-op, or a large synthetic one for benchmarks.

    maille demo                                   # small co-op with demo logins
    maille demo --members 20000 --clients 60000 --seed 1
    maille demo --invoices 1000000 --seed 1       # issued invoices for the synthetic co-op
    maille demo --ledger-months 12 --seed 1       # bulk journal lines (ledger benchmarks)

Each domain app brings its own demo data (``<app>/demo.py``); this command
calls them in dependency order.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from maille.clients import demo as clients_demo
from maille.core.models import Role, User
from maille.invoicing import demo as invoicing_demo
from maille.ledger import demo as ledger_demo
from maille.members import demo as members_demo

DEMO_LOGINS = [
    ("admin@maille.coop", "Anne", "Lacroix", Role.ADMIN),
    ("conseil@maille.coop", "Sylvie", "Beaudoin", Role.STAFF),
]


class Command(BaseCommand):
    help = "Load demo data: a small realistic co-op, or a large synthetic data set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=0, help="synthetic members to add")
        parser.add_argument("--clients", type=int, default=0, help="synthetic clients to add")
        parser.add_argument(
            "--invoices", type=int, default=0, help="synthetic issued invoices to add"
        )
        parser.add_argument(
            "--ledger-months",
            type=int,
            default=0,
            help="months of synthetic books per open activity (ledger benchmarks only)",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Demo logins have a published password: never in a real co-op.
            raise CommandError("maille demo is refused with MAILLE_PRODUCTION=1.")
        if any(options[k] for k in ("members", "clients", "invoices", "ledger_months")):
            self._large(options)
        else:
            self._small()

    def _small(self) -> None:
        if User.objects.filter(email="admin@maille.coop").exists():
            self.stdout.write("Demo co-op already loaded.")
            return
        with transaction.atomic():
            users = [
                User.objects.create_user(
                    email, members_demo.DEMO_PASSWORD, first_name=first, last_name=last, role=role
                )
                for email, first, last, role in DEMO_LOGINS
            ]
            staff = users[-1]
            members_demo.load_small(staff)
            clients_demo.load_small(staff)
            invoicing_demo.load_small(staff)
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

        def progress(label: str) -> Any:
            def report(done: int, total: int) -> None:
                sys.stderr.write(f"\r{label}: {done}/{total} ({100 * done // total} %)")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

            return report

        try:
            if options["members"]:
                members_demo.generate(
                    count=options["members"], seed=seed, progress=progress("members")
                )
            if options["clients"]:
                clients_demo.generate(
                    count=options["clients"], seed=seed, progress=progress("clients")
                )
            if options["invoices"]:
                invoicing_demo.generate(
                    count=options["invoices"],
                    seed=seed,
                    progress=progress("invoices"),
                    post_ledger=True,
                )
            if options["ledger_months"]:
                ledger_demo.generate(
                    seed=seed, months=options["ledger_months"], progress=progress("ledger")
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Generated in {time.monotonic() - started:.1f} s.")
