"""The promise counts a regular pay date only if the member can still ask for it:
requests for a regular pay close at its cut-off (the payroll calendar's
``PayPeriod.cutoff``, 3 days before the pay date by default). An invoice issued
after the cut-off is paid off-cycle within the delay, and staff see it among the
off-cycle pays to run (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from maille.guarantee.advances import PayDates
from maille.guarantee.models import Advance, PayKind
from maille.guarantee.selectors import off_cycle_pays_due
from maille.payroll.calendar import pay_period
from maille.payroll.tests.helpers import calendar

pytestmark = pytest.mark.django_db

# Regular pay dates every other Thursday from January 8: June 11, June 25, July 9.
# Requests for June 25 close on Monday June 22.
JUNE_25 = dt.date(2026, 6, 25)


def _issued_on(day, issue_accepted, camille, camille_activity, client_qc) -> Advance:
    with time_machine.travel(dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC), tick=False):
        invoice = issue_accepted(camille, camille_activity, client_qc, day=day)
    return Advance.objects.get(invoice=invoice)


def test_the_cut_off_is_the_payroll_calendars():
    calendar()
    assert pay_period(JUNE_25).cutoff == dt.date(2026, 6, 22)


@pytest.mark.parametrize(
    ("issued", "pay_by", "kind"),
    [
        # On the cut-off day, requests for June 25 are still open: the regular pay.
        (dt.date(2026, 6, 22), JUNE_25, PayKind.REGULAR),
        # The day after: June 25 is closed, July 9 is beyond the delay (7 working
        # days from June 23, June 24 and July 1 being holidays: July 6), so an
        # off-cycle pay on the delay's last bank business day.
        (dt.date(2026, 6, 23), dt.date(2026, 7, 6), PayKind.OFF_CYCLE),
    ],
)
def test_a_regular_date_counts_only_while_requests_for_it_are_open(
    issue_accepted, camille, camille_activity, client_qc, issued, pay_by, kind
):
    calendar()
    advance = _issued_on(issued, issue_accepted, camille, camille_activity, client_qc)
    assert (advance.pay_by, advance.pay_kind) == (pay_by, kind)
    due = off_cycle_pays_due(today=issued)
    if kind == PayKind.OFF_CYCLE:
        assert [(d.pay_by, d.advances) for d in due] == [(pay_by, 1)]
    else:
        assert due == []


def test_a_short_delay_never_promises_an_off_cycle_pay_on_a_regular_date():
    calendar()
    dates = PayDates()
    # One working day from Tuesday June 23 (June 24 is a holiday) ends on June 25,
    # a regular date whose requests closed June 22: the off-cycle pay is the
    # business day before it that is not past.
    assert dates.of(dt.date(2026, 6, 23), 1) == (dt.date(2026, 6, 23), PayKind.OFF_CYCLE)
    # Before the cut-off, the regular date keeps the promise.
    assert dates.of(dt.date(2026, 6, 22), 3) == (JUNE_25, PayKind.REGULAR)
