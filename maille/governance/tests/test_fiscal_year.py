"""The co-op's fiscal year is the by-laws' (``Bylaws.fiscal_year_end_month``):
the ristourne basis and the annual meeting's six months follow it.

The story: the by-laws put the year end in March. Fiscal 2026 runs from
1 April 2025 to 31 March 2026. Camille is paid in March and in April 2025
(the March pay belongs to fiscal 2025), Jérôme in February 2026 (fiscal 2026,
though the calendar year is 2026 and not 2025).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.governance import services
from maille.governance.meetings import meeting_warnings
from maille.governance.models import Bylaws
from maille.governance.ristournes import year_bases
from maille.governance.selectors import (
    annual_meeting_deadline,
    fiscal_year_bounds,
    last_fiscal_year_end,
)
from maille.governance.tests.helpers import with_shares
from maille.payroll.models import PayRun, PayslipStatus, RunStatus, SalaryRequest
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_end_in_march() -> None:
    Bylaws.objects.update(fiscal_year_end_month=3)


def _paid(member, pay_date: dt.date, gross: str, hours: str, staff, *, posted: bool = True):
    """A posted payslip (only the rows the ristourne basis reads)."""
    run = PayRun.objects.create(
        pay_date=pay_date,
        kind="regular",
        year=pay_date.year,
        period=1,
        periods_per_year=26,
        period_start=pay_date - dt.timedelta(days=20),
        period_end=pay_date - dt.timedelta(days=7),
        status=RunStatus.POSTED,
        created_by=staff,
    )
    activity = factories.ActivityFactory(owners=[member])
    request = SalaryRequest.objects.create(
        member=member,
        activity=activity,
        pay_date=pay_date,
        kind="regular",
        basis="gross",
        amount=Decimal(gross),
        hours=Decimal(hours),
        gross=Decimal(gross),
        total_cost=Decimal(gross),
        budget_at_request=Decimal(gross),
        status="paid",
        created_by=staff,
    )
    return run.payslips.create(
        request=request,
        member=member,
        activity=activity,
        pay_date=pay_date,
        hours=Decimal(hours),
        hourly_rate=Decimal("25.00"),
        gross=Decimal(gross),
        inputs={},
        ytd_before={},
        status=PayslipStatus.POSTED if posted else PayslipStatus.REVERSED,
    )


def test_a_fiscal_year_ending_in_march_runs_from_april_to_march(year_end_in_march):
    assert fiscal_year_bounds(2026) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert last_fiscal_year_end(dt.date(2026, 3, 30)) == dt.date(2025, 3, 31)
    assert last_fiscal_year_end(dt.date(2026, 3, 31)) == dt.date(2026, 3, 31)
    # February's year end in a leap year, and December's (the calendar year).
    Bylaws.objects.update(fiscal_year_end_month=2)
    assert fiscal_year_bounds(2028) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))
    Bylaws.objects.update(fiscal_year_end_month=12)
    assert fiscal_year_bounds(2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_the_ristourne_basis_is_the_work_of_the_bylaws_fiscal_year(
    year_end_in_march, camille, jerome, sylvie
):
    _paid(camille, dt.date(2025, 3, 27), "1000.00", "40.00", sylvie)  # fiscal 2025
    _paid(camille, dt.date(2025, 4, 10), "3000.00", "120.00", sylvie)  # fiscal 2026
    _paid(jerome, dt.date(2026, 2, 12), "1000.00", "40.00", sylvie)  # fiscal 2026
    _paid(jerome, dt.date(2026, 3, 31), "500.00", "20.00", sylvie, posted=False)  # reversed
    _paid(jerome, dt.date(2026, 4, 1), "9000.00", "360.00", sylvie)  # fiscal 2027

    assert year_bases(2026, "salary") == {
        camille.pk: Decimal("3000.00"),
        jerome.pk: Decimal("1000.00"),
    }
    assert year_bases(2026, "hours") == {camille.pk: Decimal("120.00"), jerome.pk: Decimal("40.00")}
    assert year_bases(2025, "salary") == {camille.pk: Decimal("1000.00")}

    # The simulation shares the ristournes 3 : 1 over fiscal 2026 (a calendar
    # year would have read Camille's March 2025 pay and missed Jérôme's).
    for member in (camille, jerome):
        with_shares(member, sylvie)
    allocation = services.ristourne_simulate(
        fiscal_year=2026,
        surplus=Decimal("5000.00"),
        reserve=Decimal("1000.00"),
        ristournes=Decimal("400.00"),
        basis="salary",
        form="cash",
        acting_user=sylvie,
    )
    amounts = {r.member_id: r.amount for r in allocation.lines.all()}
    assert amounts == {camille.pk: Decimal("300.00"), jerome.pk: Decimal("100.00")}


def test_a_member_admitted_after_the_fiscal_year_end_gets_no_ristourne_for_it(
    year_end_in_march, camille, jerome, sylvie
):
    with_shares(camille, sylvie)
    with_shares(jerome, sylvie, on=dt.date(2026, 4, 1))  # the day after fiscal 2026
    _paid(camille, dt.date(2026, 1, 15), "1000.00", "40.00", sylvie)
    _paid(jerome, dt.date(2026, 3, 12), "1000.00", "40.00", sylvie)
    allocation = services.ristourne_simulate(
        fiscal_year=2026,
        surplus=Decimal("500.00"),
        reserve=Decimal("0.00"),
        ristournes=Decimal("100.00"),
        basis="hours",
        form="cash",
        acting_user=sylvie,
    )
    assert [(r.member_id, r.amount) for r in allocation.lines.all()] == [
        (camille.pk, Decimal("100.00"))
    ]


def test_the_annual_meeting_is_warned_six_months_after_the_bylaws_year_end(
    year_end_in_march, sylvie
):
    def annual(day: dt.date, year_end: dt.date):  # type: ignore[no-untyped-def]
        return services.meeting_create(
            kind="annual",
            starts_at=dt.datetime(day.year, day.month, day.day, 18, tzinfo=dt.UTC),
            agenda="1. États financiers",
            place="Salle commune",
            fiscal_year_end=year_end,
            acting_user=sylvie,
        )

    assert annual_meeting_deadline(dt.date(2026, 3, 31)) == dt.date(2026, 9, 30)
    assert meeting_warnings(annual(dt.date(2026, 9, 15), dt.date(2026, 3, 31))) == []
    late = meeting_warnings(annual(dt.date(2026, 10, 5), dt.date(2026, 3, 31)))
    assert len(late) == 1 and "six months" in late[0] and "2026-09-30" in late[0]
    # A calendar year end is not the by-laws': warned, with the right one.
    wrong = meeting_warnings(annual(dt.date(2026, 5, 20), dt.date(2025, 12, 31)))
    assert any("2025-03-31" in w and "2025-12-31" in w for w in wrong)


def test_the_new_meeting_form_proposes_the_last_fiscal_year_end(
    year_end_in_march, as_sylvie, time_machine
):
    time_machine.move_to(dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC))
    page = as_sylvie.get("/gouvernance/assemblees/nouvelle/")
    assert page.status_code == 200
    assert 'value="2026-03-31"' in page.content.decode()


def test_the_ristourne_page_shows_the_fiscal_year_period(year_end_in_march, sylvie, as_sylvie):
    allocation = services.ristourne_simulate(
        fiscal_year=2026,
        surplus=Decimal("500.00"),
        reserve=Decimal("500.00"),
        ristournes=Decimal("0.00"),
        basis="salary",
        form="cash",
        acting_user=sylvie,
    )
    page = as_sylvie.get(f"/gouvernance/ristournes/{allocation.pk}/").content.decode()
    assert "2025-04-01" in page and "2026-03-31" in page
