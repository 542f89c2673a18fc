"""``maille guarantee run [--date YYYY-MM-DD] [--json]``: the guarantee's daily job by hand.

Prints one object::

    {"eligible": N, "advanced": N, "settled": N, "absorbed": N, "amount_advanced": "…"}

``eligible``: the open eligible invoices on that date; the others: what this
run did. Run again for the same date, it prints ``"advanced": 0``. A run
while another is going is refused (exit code 2) and does nothing.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from maille.core.commands import add_job_options, date_option
from maille.guarantee.exceptions import GuaranteeError
from maille.guarantee.job import guarantee_run


class Command(BaseCommand):
    help = "The guarantee fund's daily job: advances, settlements, claw-backs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="run the daily job")
        add_job_options(run)

    def handle(self, *args: Any, **options: Any) -> None:
        on = date_option(options.get("date"))
        as_json = options["json"]

        def progress(message: str) -> None:
            if not as_json:
                self.stderr.write(message)

        try:
            result = guarantee_run(on=on, progress=progress)
        except GuaranteeError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
            return
        data = result.as_json()
        self.stdout.write(
            _(
                "Eligible open invoices: %(eligible)s. This run: %(advanced)s advanced "
                "(%(amount_advanced)s $), %(settled)s settled, %(absorbed)s absorbed."
            )
            % data
        )
        self.stdout.write(json.dumps(data))
