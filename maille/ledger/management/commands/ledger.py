"""``maille ledger``: the ledger for accountants and operators.

maille ledger export --format beancount [--from DATE --to DATE] -o FILE
maille ledger export --format csv [--from DATE --to DATE] -o FILE
maille ledger verify             # exit 1 if any derived balance differs
maille ledger verify --rebuild   # recompute the running balances first
"""

from __future__ import annotations

import csv
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from maille.core.commands import iso_date
from maille.ledger import export, selectors, services


class Command(BaseCommand):
    help = "Export the ledger (beancount, CSV) or verify its derived balances."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write the journal for the accountants")
        exp.add_argument("--format", choices=["beancount", "csv"], default="beancount")
        exp.add_argument("--from", dest="date_from", type=iso_date, help="first day (YYYY-MM-DD)")
        exp.add_argument("--to", dest="date_to", type=iso_date, help="last day (YYYY-MM-DD)")
        exp.add_argument("-o", "--output", default="-", help="file to write ('-': stdout)")
        exp.add_argument(
            "--language",
            choices=["fr", "en"],
            default="fr",
            help="language of account names in the CSV",
        )
        ver = sub.add_parser("verify", help="recompute every derived balance from the lines")
        ver.add_argument(
            "--rebuild",
            action="store_true",
            help="recompute the running balances from the lines first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options)
        else:
            self._verify(options)

    def _export(self, options: dict[str, Any]) -> None:
        start, end = options["date_from"], options["date_to"]
        if start and end and start > end:
            raise CommandError("--from is after --to")
        path = options["output"]
        if path == "-":
            count = self._write(self.stdout, options)
        else:
            with open(path, "w", encoding="utf-8", newline="") as out:
                count = self._write(out, options)
        if path != "-":
            what = "entries" if options["format"] == "beancount" else "lines"
            self.stderr.write(f"{count} {what} written to {path}")

    def _write(self, out: Any, options: dict[str, Any]) -> int:
        start, end = options["date_from"], options["date_to"]
        with translation.override(options["language"]):
            if options["format"] == "beancount":
                return export.write_beancount(out, date_from=start, date_to=end)
            writer = csv.writer(out)
            count = -1  # the header is not a line
            for row in export.journal_rows(date_from=start, date_to=end):
                writer.writerow(row)
                count += 1
            return count

    def _verify(self, options: dict[str, Any]) -> None:
        if options["rebuild"]:
            rows = services.balances_rebuild()
            self.stdout.write(f"Running balances rebuilt: {rows} rows.")
        problems = selectors.ledger_problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stderr.write(f"{len(problems)} difference(s) found.")
            sys.exit(1)
        self.stdout.write("The ledger is consistent: every derived balance equals its lines.")
