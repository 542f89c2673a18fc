"""Monthly periods: staff close them, only an admin reopens one, with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from maille.ledger import accounts as acc
from maille.ledger.exceptions import PeriodError, PostingError
from maille.ledger.models import PeriodAction
from maille.ledger.services import entry_reverse, period_close, period_reopen
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db

FEBRUARY = dt.date(2026, 2, 1)


def test_staff_close_a_month_and_no_entry_can_be_dated_in_it(sylvie, coop, camille_activity):
    period = period_close(month=dt.date(2026, 2, 17), acting_user=sylvie, reason="Books sent")
    assert period.month == FEBRUARY
    assert period.is_closed
    event = period.events.get()
    assert (event.action, event.acting_user, event.reason) == (
        PeriodAction.CLOSE,
        sylvie,
        "Books sent",
    )
    with pytest.raises(PostingError) as exc:
        post(
            line(acc.BANK, coop, "1.00"),
            line(acc.REVENUE, camille_activity, "-1.00"),
            date=dt.date(2026, 2, 28),
        )
    assert exc.value.problems == ["The period 2026-02 is closed: date the entry in an open month."]
    post(
        line(acc.BANK, coop, "1.00"),
        line(acc.REVENUE, camille_activity, "-1.00"),
        date=dt.date(2026, 3, 1),
    )


def test_a_closed_period_is_corrected_in_an_open_one(sylvie, coop, camille_activity):
    entry = post(
        line(acc.BANK, coop, "1.00"),
        line(acc.REVENUE, camille_activity, "-1.00"),
        date=dt.date(2026, 2, 10),
    )
    period_close(month=FEBRUARY, acting_user=sylvie)
    with pytest.raises(PostingError):
        entry_reverse(entry=entry, date=dt.date(2026, 2, 11), acting_user=sylvie, reason="x")
    reversal = entry_reverse(
        entry=entry, date=dt.date(2026, 3, 2), acting_user=sylvie, reason="Wrong client"
    )
    assert reversal.reverses == entry


def test_members_cannot_close_a_period(camille):
    with pytest.raises(PermissionDenied):
        period_close(month=FEBRUARY, acting_user=camille.user)


def test_a_month_is_closed_once(sylvie):
    period_close(month=FEBRUARY, acting_user=sylvie)
    with pytest.raises(PeriodError, match="already closed"):
        period_close(month=FEBRUARY, acting_user=sylvie)


def test_a_month_that_has_not_begun_cannot_be_closed(sylvie):
    with pytest.raises(PeriodError):
        period_close(month=dt.date(2099, 1, 1), acting_user=sylvie)


def test_only_an_admin_reopens_and_says_why(sylvie, anne, coop, camille_activity):
    period_close(month=FEBRUARY, acting_user=sylvie)
    with pytest.raises(PermissionDenied):
        period_reopen(month=FEBRUARY, acting_user=sylvie, reason="Late invoice")
    with pytest.raises(PeriodError, match="reason"):
        period_reopen(month=FEBRUARY, acting_user=anne, reason="  ")
    period = period_reopen(month=FEBRUARY, acting_user=anne, reason="Late supplier invoice")
    assert not period.is_closed
    assert [(e.action, e.acting_user, e.reason) for e in period.events.order_by("id")] == [
        (PeriodAction.CLOSE, sylvie, ""),
        (PeriodAction.REOPEN, anne, "Late supplier invoice"),
    ]
    post(
        line(acc.BANK, coop, "1.00"),
        line(acc.REVENUE, camille_activity, "-1.00"),
        date=dt.date(2026, 2, 28),
    )


def test_an_open_period_cannot_be_reopened(anne):
    with pytest.raises(PeriodError, match="not closed"):
        period_reopen(month=FEBRUARY, acting_user=anne, reason="x")
