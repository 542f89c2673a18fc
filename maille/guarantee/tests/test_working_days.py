"""Québec working days (reference §6): the 7-working-day delay across holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from maille.payroll.calendar import add_working_days, is_working_day, statutory_holidays
from maille.payroll.models import EasterChoice, EasterHoliday

pytestmark = pytest.mark.django_db
D = dt.date


def test_june_24_on_a_sunday_moves_to_june_25_and_july_1_to_july_2():
    # 2029: June 24 and July 1 are Sundays.
    assert D(2029, 6, 24).weekday() == 6 and D(2029, 7, 1).weekday() == 6
    holidays = statutory_holidays(2029)
    assert D(2029, 6, 25) in holidays and D(2029, 7, 2) in holidays
    # Friday June 22, 2029 + 7 working days: skips Mon June 25 and Mon July 2.
    assert add_working_days(D(2029, 6, 22), 7) == D(2029, 7, 5)


def test_christmas_and_new_year_have_no_observed_mondays():
    # 2027: Christmas on a Saturday, January 1 2028 on a Saturday: the LNT
    # moves neither (the holidays package's "observed" Mondays are not holidays).
    assert D(2027, 12, 27) not in statutory_holidays(2027)
    assert D(2028, 1, 3) not in statutory_holidays(2028)
    assert add_working_days(D(2027, 12, 23), 7) == D(2028, 1, 3)
    # 2026: Christmas on a Friday, January 1 2027 on a Friday.
    assert add_working_days(D(2026, 12, 22), 7) == D(2027, 1, 4)


def test_easter_follows_the_co_ops_choice_of_the_year():
    # 2026: Good Friday April 3, Easter Monday April 6.
    assert not is_working_day(D(2026, 4, 3))
    assert is_working_day(D(2026, 4, 6))
    assert add_working_days(D(2026, 4, 1), 7) == D(2026, 4, 13)
    EasterChoice.objects.create(valid_from=D(2026, 1, 1), holiday=EasterHoliday.EASTER_MONDAY)
    assert is_working_day(D(2026, 4, 3))
    assert not is_working_day(D(2026, 4, 6))
    assert add_working_days(D(2026, 4, 1), 7) == D(2026, 4, 13)
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 3)


def test_weekends_do_not_count_and_a_negative_count_is_refused():
    assert add_working_days(D(2026, 6, 5), 1) == D(2026, 6, 8)  # Friday → Monday
    assert add_working_days(D(2026, 6, 1), 0) == D(2026, 6, 1)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 6, 1), -1)
