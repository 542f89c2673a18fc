"""``maille bank``: the bank's daily file and the reconciliation, for operators.

maille bank import FILE --account CODE [--format auto|ofx|qfx|camt053|csv-desjardins|csv-rbc|csv]
                 [--json]
maille bank reconcile --account CODE --to YYYY-MM-DD [--closing-balance AMOUNT] [--dry-run]
maille bank rematch [--account CODE] [--json]

``--account`` names the co-op's bank account by its ledger account code (the
demo's operating account is ``1000``). ``import --json`` prints one object:
``{"lines", "new", "duplicates", "matched", "suggested", "unmatched"}`` with
``lines = new + duplicates`` and ``matched + suggested + unmatched = new``.
``reconcile`` prints the bank's and the ledger's balances and their
difference, exits 1 when they differ, and locks the period when they agree
(not with ``--dry-run``). ``rematch`` matches the queue again (unmatched and
suggested lines) and prints its lines by status.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maille.core.commands import iso_date
from maille.core.money import format_money
from maille.payments import bank, selectors
from maille.payments.exceptions import PaymentsError, StatementRefused
from maille.payments.importing import statement_import
from maille.payments.models import BankAccount
from maille.payments.parsers import FORMATS, MAX_BYTES


def _amount(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise CommandError(f"not an amount: {value}") from exc


class Command(BaseCommand):
    help = "Import a bank statement file, or reconcile a bank account."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import and match a statement file")
        imp.add_argument("file")
        imp.add_argument("--account", required=True, help="the bank account's ledger code (1000)")
        imp.add_argument("--format", choices=["auto", *FORMATS], default="auto")
        imp.add_argument("--json", action="store_true", help="print the counts as JSON")
        rec = sub.add_parser("reconcile", help="compare the bank's balance with the ledger's")
        rec.add_argument("--account", required=True)
        rec.add_argument("--to", required=True, type=iso_date)
        rec.add_argument("--closing-balance", type=_amount, help="the bank's balance on --to")
        rec.add_argument("--dry-run", action="store_true", help="report only, lock nothing")
        again = sub.add_parser("rematch", help="match the queue of bank lines again")
        again.add_argument("--account", help="the bank account's ledger code (all if omitted)")
        again.add_argument("--json", action="store_true", help="print the counts as JSON")

    def _account(self, code: str) -> BankAccount:
        account = selectors.bank_account_by_code(code)
        if account is None:
            raise CommandError(f"no bank account with ledger account {code}")
        return account

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        elif options["action"] == "rematch":
            account = self._account(options["account"]) if options["account"] else None
            counts = bank.queue_rematch(account=account, acting_user=None)
            if options["json"]:
                self.stdout.write(json.dumps(counts))
            else:
                for key, value in counts.items():
                    self.stdout.write(f"{key:<11} {value}")
        else:
            self._reconcile(options)

    def _import(self, options: dict[str, Any]) -> None:
        account = self._account(options["account"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB")
        try:
            result = statement_import(
                bank_account=account,
                data=path.read_bytes(),
                filename=path.name,
                acting_user=None,
                fmt=options["format"],
            )
        except StatementRefused as exc:
            raise CommandError(
                f"{path.name}: nothing imported.\n" + "\n".join(exc.problems)
            ) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
            return
        for key, value in result.as_dict().items():
            self.stdout.write(f"{key:<11} {value}")

    def _reconcile(self, options: dict[str, Any]) -> None:
        account = self._account(options["account"])
        view = bank.reconciliation_view(
            account=account, to=options["to"], closing_balance=options["closing_balance"]
        )
        self.stdout.write(
            f"bank       {view.bank_closing:.2f}  ({format_money(view.bank_closing)})"
        )
        self.stdout.write(f"ledger     {view.ledger:.2f}  ({format_money(view.ledger)})")
        self.stdout.write(f"difference {view.difference:.2f}")
        for line in view.unmatched[:20]:
            self.stdout.write(
                f"  in the bank only: {line.date} {line.amount:.2f} {line.description}"
            )
        for _entry, day, amount, description in view.not_in_bank[:20]:
            self.stdout.write(f"  in the ledger only: {day} {amount:.2f} {description}")
        for statement in view.statements_off:
            self.stdout.write(
                f"  statement {statement.filename} does not add up: {statement.difference:.2f}"
            )
        if view.difference:
            sys.exit(1)
        if not options["dry_run"]:
            try:
                bank.reconcile(
                    account=account,
                    to=options["to"],
                    acting_user=None,
                    closing_balance=options["closing_balance"],
                )
            except PaymentsError as exc:
                self.stderr.write(str(exc))
                return
            self.stdout.write(f"reconciled and locked up to {options['to']}")
