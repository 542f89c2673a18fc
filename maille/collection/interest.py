"""Late interest to the day (CCQ 1617, 1600; quebec-operations.md §10).

Simple interest on the amount still owed, counted day by day: each day bears
``rate / days in that day's year`` (366 in a leap year), at the rate in force
on that day — the agreed rate of the accepted quote, or the legal rate,
which is a dated parameter and may change while a debt runs. The sum is
rounded half-up to the cent once, at the end.

When interest runs from (the "basis"):

- an accepted quote with a late-interest rate, whose clause says overdue
  amounts bear interest from the due date (the policy says whether that
  puts the client in default by the mere lapse of time): from the day after
  the due date;
- the same rate without default by lapse of time: from the formal notice's
  date (the demand);
- no agreed rate: the legal rate from the day after the formal notice's
  deadline; before a formal notice, nothing is claimed.

The principal of a claim (the case page, the formal notice) is what is owed
today: payments made since only lowered it, so the co-op never claims more
than is due (R-2.2 s. 3). What the co-op may *collect* once the client paid
(``interest_with_payments``) follows the balance day by day instead: each
payment stops the interest on what it paid from its own date, so a client
who paid the principal late still owes the interest of the days it was late.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from maille.core.money import ZERO, round_half_up

HUNDRED = Decimal(100)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def interest_to_the_day(
    *,
    principal: Decimal,
    start: dt.date,
    end: dt.date,
    rates: Sequence[tuple[dt.date, Decimal]],
) -> Decimal:
    """Interest on ``principal`` for every day from ``start`` to ``end`` inclusive.

    ``rates``: (valid_from, % a year), in any order; each day takes the latest
    rate whose ``valid_from`` is on or before it (no rate yet: nothing that day).
    """
    if principal <= 0 or end < start:
        return ZERO
    return round_half_up(_raw(principal, start, end, rates))


def interest_with_payments(
    *,
    owed_now: Decimal,
    payments: Sequence[tuple[dt.date, Decimal]],
    start: dt.date,
    end: dt.date,
    rates: Sequence[tuple[dt.date, Decimal]],
) -> Decimal:
    """Interest from ``start`` to ``end`` on the balance as it stood each day.

    ``payments``: (date, amount) paid on the debt; on each day the balance is
    ``owed_now`` plus what was paid after that day (a payment stops the
    interest on what it paid from its own date). Rounded once, half-up.
    """
    if end < start:
        return ZERO
    later = sorted((day, amount) for day, amount in payments if day > start)
    total = Decimal(0)
    day = start
    # Segments between payment dates, each at the balance of its days.
    for until, _amount in [*later, (end + dt.timedelta(days=1), ZERO)]:
        last = min(end, until - dt.timedelta(days=1))
        if last >= day:
            balance = owed_now + sum((a for d, a in payments if d > day), ZERO)
            total += _raw(balance, day, last, rates)
            day = last + dt.timedelta(days=1)
        if day > end:
            break
    return round_half_up(total)


def _raw(
    principal: Decimal, start: dt.date, end: dt.date, rates: Sequence[tuple[dt.date, Decimal]]
) -> Decimal:
    """``interest_to_the_day`` before rounding (segments are summed, then rounded once)."""
    if principal <= 0 or end < start:
        return Decimal(0)
    ordered = sorted(rates)
    total = Decimal(0)
    day = start
    while day <= end:
        rate = next((r for since, r in reversed(ordered) if since <= day), None)
        year_end = dt.date(day.year, 12, 31)
        next_change = next((since for since, _r in ordered if since > day), None)
        last = min(end, year_end)
        if next_change is not None:
            last = min(last, next_change - dt.timedelta(days=1))
        days = (last - day).days + 1
        if rate:
            total += principal * rate / HUNDRED * days / days_in_year(day.year)
        day = last + dt.timedelta(days=1)
    return total


@dataclass(frozen=True, slots=True)
class InterestBasis:
    rate: Decimal | None  #: the agreed rate; None: the legal rate (dated)
    start: dt.date | None  #: the first day bearing interest; None: not yet
    agreed: bool
    explanation: str


def interest_basis(
    *,
    due_date: dt.date,
    agreed_rate: Decimal,
    default_by_lapse: bool,
    notice_date: dt.date | None,
    notice_deadline: dt.date | None,
) -> InterestBasis:
    """From when, and at which rate, interest runs on one invoice (module docstring)."""
    if agreed_rate > 0:
        if default_by_lapse:
            return InterestBasis(
                agreed_rate,
                due_date + dt.timedelta(days=1),
                True,
                _(
                    "Agreed rate of %(rate)s %% a year in the accepted quote, from the due "
                    "date: the contract puts the client in default by the mere lapse of time."
                )
                % {"rate": agreed_rate},
            )
        if notice_date is None:
            return InterestBasis(
                agreed_rate,
                None,
                True,
                _("Agreed rate of %(rate)s %% a year, from the formal notice (none sent yet).")
                % {"rate": agreed_rate},
            )
        return InterestBasis(
            agreed_rate,
            notice_date,
            True,
            _("Agreed rate of %(rate)s %% a year, from the formal notice of %(date)s.")
            % {"rate": agreed_rate, "date": notice_date.isoformat()},
        )
    if notice_deadline is None:
        return InterestBasis(
            None,
            None,
            False,
            _(
                "No agreed rate: the legal rate runs from the formal notice's deadline "
                "(none sent yet)."
            ),
        )
    return InterestBasis(
        None,
        notice_deadline + dt.timedelta(days=1),
        False,
        _("No agreed rate: the legal rate (CCQ 1617) from the formal notice's deadline, %(date)s.")
        % {"date": notice_deadline.isoformat()},
    )
