"""The ledger's posting rules as small pure functions, each returning the problems
it finds, so a refused entry names every problem at once (the beancount
validation style). ``services`` runs them before writing; the database checks
the same rules again (migration ``0003_ledger_triggers``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from maille.core.money import CENT, ZERO
from maille.ledger.models import Account
from maille.members.models import Activity


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One line to post: debit positive, credit negative (``services`` takes them)."""

    account: str
    activity: Activity
    amount: Decimal
    memo: str = ""


MAX_AMOUNT = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
MAX_DESCRIPTION = 300
MAX_KEY = 200


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- Checks: pure functions, each returns the problems it finds. -------------


def check_entry_fields(description: str, idempotency_key: str) -> list[str]:
    problems = []
    if not description.strip():
        problems.append(_("The entry has no description."))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(
            _("The description is longer than %(n)s characters.") % {"n": MAX_DESCRIPTION}
        )
    if not idempotency_key.strip():
        problems.append(_("The entry has no idempotency key."))
    elif len(idempotency_key) > MAX_KEY:
        problems.append(_("The idempotency key is longer than %(n)s characters.") % {"n": MAX_KEY})
    return problems


def check_not_empty(lines: Sequence[LineSpec]) -> list[str]:
    return [_("The entry has no lines.")] if not lines else []


def check_amounts(lines: Sequence[LineSpec]) -> list[str]:
    problems = []
    for n, line in enumerate(lines, start=1):
        amount = line.amount
        if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
            problems.append(
                _("Line %(n)s: the amount must be a Decimal, not %(type)s.")
                % {"n": n, "type": type(amount).__name__}
            )
        elif isinstance(amount, Decimal) and not amount.is_finite():
            problems.append(_("Line %(n)s: the amount is not a number.") % {"n": n})
        elif amount == 0:
            problems.append(_("Line %(n)s: the amount is zero.") % {"n": n})
        elif Decimal(amount) != Decimal(amount).quantize(CENT):
            problems.append(
                _("Line %(n)s: %(amount)s has more than two decimals.") % {"n": n, "amount": amount}
            )
        elif abs(amount) > MAX_AMOUNT:
            problems.append(_("Line %(n)s: %(amount)s is too large.") % {"n": n, "amount": amount})
    return problems


def check_balanced(lines: Sequence[LineSpec]) -> list[str]:
    amounts = [Decimal(line.amount) for line in lines if _is_amount(line.amount)]
    if not amounts or len(amounts) != len(lines):
        return []  # check_not_empty and check_amounts have said what is wrong
    debits = sum((a for a in amounts if a > 0), ZERO)
    credits = -sum((a for a in amounts if a < 0), ZERO)
    if debits != credits:
        return [
            _(
                "The entry does not balance: debits %(debits)s, credits %(credits)s, "
                "difference %(difference)s."
            )
            % {"debits": debits, "credits": credits, "difference": debits - credits}
        ]
    return []


def check_activities(lines: Sequence[LineSpec]) -> list[str]:
    return [
        _("Line %(n)s: no activity.") % {"n": n}
        for n, line in enumerate(lines, start=1)
        if not isinstance(line.activity, Activity) or line.activity.pk is None
    ]


def check_accounts(lines: Sequence[LineSpec], accounts: dict[str, Account]) -> list[str]:
    problems = []
    for n, line in enumerate(lines, start=1):
        account = accounts.get(line.account)
        if account is None:
            problems.append(
                _("Line %(n)s: there is no account %(code)s.") % {"n": n, "code": line.account}
            )
        elif not account.is_open:
            problems.append(
                _("Line %(n)s: the account %(account)s is closed.") % {"n": n, "account": account}
            )
    return problems


def check_period(date: dt.date, closed_months: set[dt.date]) -> list[str]:
    if month_of(date) in closed_months:
        return [
            _("The period %(month)s is closed: date the entry in an open month.")
            % {"month": date.strftime("%Y-%m")}
        ]
    return []


def _is_amount(value: object) -> bool:
    return (
        isinstance(value, Decimal | int)
        and not isinstance(value, bool)
        and (not isinstance(value, Decimal) or value.is_finite())
    )


def entry_problems(
    *,
    date: dt.date,
    description: str,
    lines: Sequence[LineSpec],
    idempotency_key: str,
    accounts: dict[str, Account],
    closed_months: set[dt.date],
) -> list[str]:
    """Every reason to refuse this entry, in the order a person would fix them."""
    return [
        *check_entry_fields(description, idempotency_key),
        *check_not_empty(lines),
        *check_amounts(lines),
        *check_balanced(lines),
        *check_activities(lines),
        *check_accounts(lines, accounts),
        *check_period(date, closed_months),
    ]
