"""Sane date windows, stated once for every entrance (pages, API, CLI, services).

A date typed by a person is refused when it is absurdly far from today (a
slip of the keyboard: 0001-01-01, 9999-12-31). Each service that takes a
date states its window with these helpers, so a form, the API and a command
all get the same answer and the same message.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

# Five years either way covers a contract's life and the co-op's records of
# the current activities; further than that is a typing mistake.
NEAR_TODAY_YEARS = 5


def far_from_today(
    value: dt.date, *, years: int = NEAR_TODAY_YEARS, today: dt.date | None = None
) -> bool:
    """True when ``value`` is more than ``years`` years before or after today."""
    today = today or timezone.localdate()
    return abs((value - today).days) > years * 366


def near_today_problem(value: dt.date | None, *, years: int = NEAR_TODAY_YEARS) -> str | None:
    """The message for a date too far from today, or None."""
    if value is not None and far_from_today(value, years=years):
        return _("This date is too far from today.")
    return None
