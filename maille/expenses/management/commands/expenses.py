"""``maille expenses purge-receipts [--date YYYY-MM-DD] [--dry-run] [--json]``.

Deletes the files of the receipts past their retention (6 years after the year
concerned; ``maille/expenses/retention.py``), as the daily job does. Prints one
object::

    {"date": "2033-01-01", "purged": N}

Run again for the same date, it prints ``"purged": 0``. ``--dry-run`` counts
what would be deleted and deletes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from maille.core.commands import add_job_options, date_option
from maille.expenses.retention import receipts_purge


class Command(BaseCommand):
    help = "Expenses: delete the receipt files past their retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        purge = sub.add_parser("purge-receipts", help="delete receipt files past retention")
        add_job_options(purge, dry_run_help="count only, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        on = date_option(options.get("date"))
        result = receipts_purge(on=on, dry_run=options["dry_run"])
        data = result.as_json()
        if not options["json"]:
            message = (
                _("%(purged)s receipt file(s) past retention on %(date)s (dry run: none deleted).")
                if options["dry_run"]
                else _("%(purged)s receipt file(s) past retention on %(date)s deleted.")
            )
            self.stderr.write(message % data)
        self.stdout.write(json.dumps(data))
