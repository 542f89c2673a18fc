"""The pay calendar, bank business days and statutory holidays (quebec-operations.md §6).

Regular pay dates are every 14 days from the co-op's reference pay date
(``PayrollOperationsSettings.first_pay_date``); one that falls on a weekend or
a bank holiday is paid the bank business day before (an AFT settles only on
bank days). A year has 26 of them, or 27 — the engine's P is the real count
(quebec-2026.md §2: "take P from the real pay calendar").

Statutory holidays are those of the Act respecting labour standards, s. 60
(and the Fête nationale): the ``holidays`` package's Québec public set, without
its "observed" Mondays, plus July 2 when July 1 is a Sunday and June 25 when
June 24 is a Sunday. Bank holidays add the federal closures (Sept 30, Nov 11,
Dec 26) and January 2, with weekend holidays observed on the next weekday.

The Easter holiday is the co-op's yearly choice (``EasterChoice``: Good
Friday or Easter Monday, LNT art. 60). Working days (Monday–Friday outside
the statutory holidays) count the guarantee fund's delay; bank business days
say when money can land.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.easter import easter as dateutil_easter  # type: ignore[import-untyped]
from django.utils.translation import gettext as _

from maille.payroll.exceptions import PayrollError
from maille.payroll.models import EasterChoice, EasterHoliday, PayrollOperationsSettings

CYCLE = dt.timedelta(days=14)


class NotOnCalendar(PayrollError):
    """The date is not a pay date of the co-op's calendar."""


def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The year's holidays of the Act respecting labour standards, with the
    co-op's Easter choice of that year (``EasterChoice``, dated, in the admin)."""
    return _statutory_holidays(year, EasterChoice.for_year(year))


@lru_cache(maxsize=64)
def _statutory_holidays(year: int, easter: str) -> frozenset[dt.date]:
    days = set(holidays.country_holidays("CA", subdiv="QC", years=year, observed=False))
    july_1, june_24 = dt.date(year, 7, 1), dt.date(year, 6, 24)
    if july_1.weekday() == 6:
        days.add(july_1 + dt.timedelta(days=1))
    if june_24.weekday() == 6:
        days.add(june_24 + dt.timedelta(days=1))
    # LNT art. 60: Good Friday *or* Easter Monday, the employer's choice.
    good_friday = dateutil_easter(year) - dt.timedelta(days=2)
    easter_monday = dateutil_easter(year) + dt.timedelta(days=1)
    days.discard(good_friday)
    days.discard(easter_monday)
    days.add(easter_monday if easter == EasterHoliday.EASTER_MONDAY else good_friday)
    return frozenset(days)


def is_working_day(day: dt.date, holidays_of: dict[int, frozenset[dt.date]] | None = None) -> bool:
    """A Québec working day: Monday to Friday, not a statutory holiday (reference §6)."""
    if day.weekday() >= 5:
        return False
    if holidays_of is None:
        return day not in statutory_holidays(day.year)
    if day.year not in holidays_of:
        holidays_of[day.year] = statutory_holidays(day.year)
    return day not in holidays_of[day.year]


def add_working_days(
    day: dt.date, count: int, holidays_of: dict[int, frozenset[dt.date]] | None = None
) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted).

    ``holidays_of`` is a cache the caller may pass to count many deadlines
    with one look-up of the Easter choice per year.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    cache = holidays_of if holidays_of is not None else {}
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, cache):
            count -= 1
    return day


@lru_cache(maxsize=32)
def bank_holidays(year: int) -> frozenset[dt.date]:
    days = set(holidays.country_holidays("CA", subdiv="QC", years=year))
    days |= set(
        holidays.country_holidays("CA", subdiv="QC", years=year, categories=("government",))
    )
    days.add(dt.date(year, 1, 2))
    return frozenset(days)


def is_bank_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def previous_business_day(day: dt.date) -> dt.date:
    while not is_bank_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if is_bank_business_day(day):
            count -= 1
    return day


@dataclass(frozen=True, slots=True)
class PayPeriod:
    pay_date: dt.date
    nominal_date: dt.date  #: the calendar's date before the business-day move
    period: int
    periods_per_year: int
    start: dt.date
    end: dt.date
    cutoff: dt.date


def _settings(day: dt.date) -> PayrollOperationsSettings:
    settings = PayrollOperationsSettings.in_force(day)
    if settings is None:
        raise PayrollError(
            [
                _("The co-op's payroll settings (pay calendar) are not set for %(date)s.")
                % {"date": day.isoformat()}
            ]
        )
    return settings


def _nominal_dates(year: int, anchor: dt.date) -> list[dt.date]:
    first = anchor + CYCLE * ((dt.date(year, 1, 1) - anchor).days // 14)
    while first.year < year:
        first += CYCLE
    dates = []
    day = first
    while day.year == year:
        dates.append(day)
        day += CYCLE
    return dates


def pay_periods(year: int) -> list[PayPeriod]:
    """Every regular pay of the year, in order."""
    settings = _settings(dt.date(year, 12, 31))
    nominal = _nominal_dates(year, settings.first_pay_date)
    return [
        PayPeriod(
            pay_date=previous_business_day(day),
            nominal_date=day,
            period=n,
            periods_per_year=len(nominal),
            end=(end := day - dt.timedelta(days=settings.period_end_days)),
            start=end - dt.timedelta(days=13),
            cutoff=previous_business_day(day) - dt.timedelta(days=settings.cutoff_days),
        )
        for n, day in enumerate(nominal, start=1)
    ]


def pay_period(pay_date: dt.date) -> PayPeriod:
    """The regular pay on ``pay_date``; raise ``NotOnCalendar`` if there is none."""
    # A January 1 pay date moves back to December 31: look in the next year too.
    for period in pay_periods(pay_date.year) + pay_periods(pay_date.year + 1)[:1]:
        if period.pay_date == pay_date:
            return period
    raise NotOnCalendar(
        [_("%(date)s is not a pay date of the co-op's calendar.") % {"date": pay_date.isoformat()}]
    )


def off_cycle_period(pay_date: dt.date) -> PayPeriod:
    """An off-cycle pay: a bank business day between regular dates, computed as
    an extra pay of the period it falls in (its number and P are that period's)."""
    if not is_bank_business_day(pay_date):
        raise NotOnCalendar(
            [_("%(date)s is not a bank business day.") % {"date": pay_date.isoformat()}]
        )
    periods = pay_periods(pay_date.year)
    if any(p.pay_date == pay_date for p in periods):
        raise NotOnCalendar(
            [
                _("%(date)s is a regular pay date: ask for a regular pay.")
                % {"date": pay_date.isoformat()}
            ]
        )
    following = [p for p in periods if p.pay_date > pay_date]
    current = following[0] if following else periods[-1]
    return PayPeriod(
        pay_date=pay_date,
        nominal_date=pay_date,
        period=current.period,
        periods_per_year=current.periods_per_year,
        start=current.start,
        end=min(current.end, pay_date),
        cutoff=pay_date,
    )


def next_pay_period(today: dt.date) -> PayPeriod:
    """The first regular pay whose request cut-off has not passed."""
    for year in (today.year, today.year + 1):
        for period in pay_periods(year):
            if period.cutoff >= today:
                return period
    raise NotOnCalendar([_("No pay date ahead on the calendar.")])  # pragma: no cover
