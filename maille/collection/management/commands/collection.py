"""``maille collection run [--date YYYY-MM-DD] [--dry-run] [--json]``: the daily collection run.

Prints ``{"invoices": N, "reminders": N, "notices": N, "held": N}`` with
``--json``: ``invoices`` the overdue invoices examined; ``reminders`` and
``notices`` sent or queued for the next contact window by this run; ``held``
the invoices a dispute, the client's lawyer, a member's hold, a promise or a
plan kept still. ``--date`` runs as on that day at the policy's run time;
``--dry-run`` shows what would happen and writes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maille.collection.dunning import collection_run
from maille.core.commands import iso_date


class Command(BaseCommand):
    help = "Collection: run the day's dunning steps."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="move each overdue invoice along the policy's steps")
        run.add_argument("--date", type=iso_date, help="run as on this day (YYYY-MM-DD)")
        run.add_argument("--dry-run", action="store_true", help="write and send nothing")
        run.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        result = collection_run(date=options["date"], dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        for line in result.details:
            self.stdout.write(line)
        for key, value in result.as_dict().items():
            self.stdout.write(f"{key:<10} {value}")
        if not result.in_window:
            self.stdout.write("outside the contact window: reminders are queued")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was written or sent")
