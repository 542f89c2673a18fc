"""When the co-op may contact a client: working days, 8:00–20:00 (R-2.2 good practice).

A working day is a weekday that is not a Québec statutory holiday; the
holidays are the payroll calendar's (``payroll.calendar.statutory_holidays``),
never a second list.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.utils import timezone

from maille.payroll.calendar import statutory_holidays

_HOLIDAYS: dict[int, frozenset[dt.date]] = {}


def forget_holidays() -> None:
    """Read the holidays afresh (each run starts with this: admins may change them)."""
    _HOLIDAYS.clear()
    step_date.cache_clear()


def _holidays(year: int) -> frozenset[dt.date]:
    # A run asks for thousands of step dates: the year's holidays are read once.
    if year not in _HOLIDAYS:
        _HOLIDAYS[year] = frozenset(statutory_holidays(year))
    return _HOLIDAYS[year]


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the next one."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@functools.lru_cache(maxsize=65536)
def step_date(due_date: dt.date, days_after_due: int) -> dt.date:
    """The day a step falls due: ``days_after_due`` after the due date, moved to a working day.

    Cached: a run asks the same few hundred (date, days) pairs for thousands of
    invoices; ``forget_holidays`` clears it with the holidays."""
    return next_working_day(due_date + dt.timedelta(days=days_after_due))


def in_contact_window(moment: dt.datetime, *, start: dt.time, end: dt.time) -> bool:
    """True on a working day between ``start`` and ``end`` (Montréal time)."""
    local = timezone.localtime(moment)
    return is_working_day(local.date()) and start <= local.time() < end


def next_window(moment: dt.datetime, *, start: dt.time, end: dt.time) -> dt.datetime:
    """The first moment at or after ``moment`` when the co-op may contact a client."""
    if in_contact_window(moment, start=start, end=end):
        return moment
    local = timezone.localtime(moment)
    day = local.date()
    if local.time() >= start:
        day += dt.timedelta(days=1)
    day = next_working_day(day)
    return timezone.make_aware(dt.datetime.combine(day, start))
