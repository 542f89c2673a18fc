"""Dates at the edge of the calendar: no server error, a message (ISSUE 8, findings 7, 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from maille.ledger import accounts as acc
from maille.ledger.exceptions import PeriodError
from maille.ledger.models import Period
from maille.ledger.services import period_close
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(camille_activity):
    post(
        line(acc.AR, camille_activity, "1149.75"),
        line(acc.REVENUE, camille_activity, "-1149.75"),
        date=dt.date(2026, 3, 2),
    )


def test_a_statement_from_the_first_day_of_the_calendar(as_camille, camille_activity, posted):
    url = f"/activities/{camille_activity.pk}/statement"
    page = as_camille.get(f"{url}/?date_from=0001-01-01")
    assert page.status_code == 200
    assert page.context["statement"].opening == 0
    csv_file = as_camille.get(f"{url}.csv?date_from=0001-01-01&account={acc.AR}")
    assert csv_file.status_code == 200
    assert b"1149.75" in b"".join(csv_file.streaming_content)


def test_the_general_ledger_from_the_first_day_of_the_calendar(as_sylvie, posted):
    page = as_sylvie.get(f"/ledger/accounts/{acc.AR}/?date_from=0001-01-01")
    assert page.status_code == 200
    csv_file = as_sylvie.get(f"/ledger/accounts/{acc.AR}/ledger.csv?date_from=0001-01-01")
    assert csv_file.status_code == 200


def test_a_month_of_year_one_cannot_be_closed_through_the_page(as_sylvie):
    response = as_sylvie.post("/ledger/periods/close/", {"month": "0001-01", "reason": "x"})
    assert response.status_code in (200, 302)
    assert not Period.objects.filter(is_closed=True).exists()


def test_only_a_month_of_the_last_ten_years_is_closed(sylvie):
    with pytest.raises(PeriodError, match="last 10 years"):
        period_close(month=dt.date(2001, 1, 1), acting_user=sylvie)
    period_close(month=dt.date(2026, 1, 1), acting_user=sylvie)
    assert Period.objects.get().is_closed
