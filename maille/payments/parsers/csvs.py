"""The CSV exports: Desjardins (no header, cp1252), RBC (header, signed), and generic.

Desjardins, 14 columns (reference §2): transit, folio, account type, date
``YYYY/MM/DD``, line number, description ``Type /Counterparty``, blank,
withdrawal, deposit, four undocumented columns, balance.

RBC: ``Account Type,Account Number,Transaction Date,Cheque Number,
Description 1,Description 2,CAD$,USD$``, dates ``M/D/YYYY``, amounts signed.
An Interac e-Transfer shows as ``e-Transfer - Autodeposit NAME REF`` (older:
``Email Trfs`` / ``INTERAC E-TRF- nnnn``): the sender's name is read from it.

Generic: the bank account's saved mapping names the columns (from 1).
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from maille.payments.parsers.common import (
    Problems,
    Statement,
    Transaction,
    amount_of,
    date_of,
    decode,
    digits,
    refuse,
)

INTERAC = re.compile(
    r"(?:E-TRANSFER\s*-\s*AUTODEPOSIT|INTERAC\s*E-TRF-?\s*\d*|EMAIL TRFS?|VIREMENT INTERAC)"
    r"\s*(?P<rest>.*)",
    re.IGNORECASE,
)


def interac_sender(text: str) -> str:
    """The sender of an Interac e-Transfer line (``e-Transfer - Autodeposit NAME REF``)."""
    match = INTERAC.search(text)
    if not match:
        return ""
    rest = match.group("rest").strip()
    # A trailing reference (letters and digits, no space, with a digit) is not the name.
    rest = re.sub(r"\s+[A-Z0-9]*\d[A-Z0-9]*$", "", rest, flags=re.IGNORECASE)
    return rest.strip(" -/")


def _one_account[T](accounts: set[T], problems: Problems) -> T | None:
    """After the lines were read: their problems, or the one account they name (if any)."""
    problems.raise_if_any()
    if len(accounts) > 1:
        raise refuse(_("The file mixes several accounts."))
    return next(iter(accounts), None)


def _rows(text: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        rows.extend((reader.line_num, cells) for cells in reader if any(c.strip() for c in cells))
    except csv.Error as exc:
        raise refuse(_("the CSV is malformed (%(e)s).") % {"e": exc}, reader.line_num) from None
    return rows


def parse_csv(data: bytes, fmt: str, mapping: dict[str, Any]) -> Statement:
    text, encoding = decode(data)
    if fmt == "csv-desjardins":
        statement = _desjardins(text)
    elif fmt == "csv-rbc":
        statement = _rbc(text)
    else:
        statement = _generic(text, mapping)
    statement.encoding = encoding
    return statement


def _desjardins(text: str) -> Statement:
    statement = Statement(format="csv-desjardins", currency="CAD")
    problems = Problems()
    accounts: set[tuple[str, str]] = set()
    last_balance = None
    for line_no, cells in _rows(text):
        if len(cells) < 14:
            problems.add(line_no, _("expected 14 columns, found %(n)s.") % {"n": len(cells)})
            continue
        accounts.add((digits(cells[0]), digits(cells[1])))
        try:
            date = date_of(cells[3], "%Y/%m/%d")
            withdrawal = amount_of(cells[7]) if cells[7].strip() else None
            deposit = amount_of(cells[8]) if cells[8].strip() else None
            balance = amount_of(cells[13]) if cells[13].strip() else None
        except ValueError as exc:
            problems.add(line_no, str(exc))
            continue
        if (withdrawal is None) == (deposit is None):
            problems.add(line_no, _("a line has either a withdrawal or a deposit."))
            continue
        amount: Decimal = -abs(withdrawal) if withdrawal is not None else abs(deposit or Decimal(0))
        if amount == 0:
            continue  # an information line (a zero amount moves nothing)
        description = cells[5].strip()
        _kind, _sep, counterparty = description.partition("/")
        payer = counterparty.strip() if amount > 0 else ""
        payer = interac_sender(description) or payer
        statement.transactions.append(
            Transaction(
                line_no=line_no,
                date=date,
                amount=amount,
                description=description,
                payer_name=payer,
                reference="",
            )
        )
        if balance is not None:
            if statement.opening_balance is None:
                statement.opening_balance = balance - amount
            last_balance = balance
    statement.closing_balance = last_balance
    if (found := _one_account(accounts, problems)) is not None:
        statement.transit, statement.account = found
    return statement


def _rbc(text: str) -> Statement:
    statement = Statement(format="csv-rbc")
    problems = Problems()
    rows = _rows(text)
    accounts: set[str] = set()
    for line_no, cells in rows[1:]:
        if len(cells) < 7:
            problems.add(line_no, _("expected 8 columns, found %(n)s.") % {"n": len(cells)})
            continue
        accounts.add(digits(cells[1]))
        raw = cells[6] if cells[6].strip() else (cells[7] if len(cells) > 7 else "")
        currency = "CAD" if cells[6].strip() else "USD"
        try:
            date = date_of(cells[2], "%m/%d/%Y")
            amount = amount_of(raw)
        except ValueError as exc:
            problems.add(line_no, str(exc))
            continue
        if amount == 0:
            continue
        if statement.currency and currency != statement.currency:
            problems.add(
                line_no,
                _("this line is in %(c)s, the file's first lines in %(s)s: one currency a file.")
                % {"c": currency, "s": statement.currency},
            )
            continue
        statement.currency = currency
        description = " ".join(c.strip() for c in cells[4:6] if c.strip())
        payer = interac_sender(description)
        statement.transactions.append(
            Transaction(
                line_no=line_no,
                date=date,
                amount=amount,
                description=description,
                payer_name=payer,
                reference=cells[3].strip(),  # the cheque number
            )
        )
    if (found := _one_account(accounts, problems)) is not None:
        # RBC writes transit and account together (``05123-1234567``): the account is the tail.
        statement.account = found
    return statement


def _generic(text: str, mapping: dict[str, Any]) -> Statement:
    if not mapping or "date" not in mapping or "description" not in mapping:
        raise refuse(
            _(
                "This CSV file is not one Maille recognises: save the column mapping of "
                "this bank account first."
            )
        )
    statement = Statement(format="csv", currency="")
    problems = Problems()
    rows = _rows(text, mapping.get("delimiter") or ",")
    if mapping.get("header"):
        rows = rows[1:]

    def cell(cells: list[str], key: str) -> str:
        column = mapping.get(key)
        if not column:
            return ""
        index = int(column) - 1
        return cells[index] if 0 <= index < len(cells) else ""

    comma = bool(mapping.get("decimal_comma"))
    needed = max(int(v) for k, v in mapping.items() if k in _COLUMNS and v)
    for line_no, cells in rows:
        if len(cells) < needed:
            problems.add(
                line_no, _("expected %(m)s columns, found %(n)s.") % {"m": needed, "n": len(cells)}
            )
            continue
        try:
            date = date_of(cell(cells, "date"), mapping.get("date_format") or "%Y-%m-%d")
            if mapping.get("amount"):
                amount = amount_of(cell(cells, "amount"), decimal_comma=comma)
            else:
                debit, credit = cell(cells, "debit").strip(), cell(cells, "credit").strip()
                amount = (amount_of(credit, decimal_comma=comma) if credit else Decimal(0)) - (
                    abs(amount_of(debit, decimal_comma=comma)) if debit else Decimal(0)
                )
        except ValueError as exc:
            problems.add(line_no, str(exc))
            continue
        if amount == 0:
            continue
        description = cell(cells, "description").strip()
        statement.transactions.append(
            Transaction(
                line_no=line_no,
                date=date,
                amount=amount,
                description=description,
                payer_name=interac_sender(description),
                reference=cell(cells, "reference").strip(),
            )
        )
    problems.raise_if_any()
    return statement


_COLUMNS = ("date", "amount", "debit", "credit", "description", "reference")
