"""An issue date lies in a sane window, whoever issues (ISSUE 8, findings 6 and 10).

Never after today; at most the co-op's setting (30 days by default) before
today; never in a closed month; never before the latest issued date of its
series. Every problem is listed in words by the issue checks, and the API
answers 422 with them — never a server error.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from maille.contracts.tests.helpers import lines
from maille.core.models import Role, User
from maille.invoicing import services
from maille.invoicing.models import InvoiceStatus, InvoicingSettings
from maille.invoicing.services import InvoiceNotIssuable
from maille.ledger.services import period_close
from maille.tests_support import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 14)


@pytest.fixture(autouse=True)
def _today_in_english():
    with (
        time_machine.travel(dt.datetime(2026, 5, 14, 15, 0, tzinfo=dt.UTC), tick=False),
        translation.override("en"),
    ):
        yield


@pytest.fixture
def draft(camille, camille_activity, client_qc):
    def make():
        return services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("10", "100.00")),
        )

    return make


def problems(invoice, on):
    staff = User.objects.filter(role=Role.STAFF).first() or factories.UserFactory(role=Role.STAFF)
    with pytest.raises(InvoiceNotIssuable) as err:
        services.invoice_issue(invoice=invoice, acting_user=staff, issue_date=on)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    return " ".join(err.value.problems)


def test_an_issue_date_in_a_closed_month_is_a_problem_in_words(draft, sylvie):
    period_close(month=dt.date(2026, 4, 1), acting_user=sylvie)
    invoice = draft()
    text = problems(invoice, dt.date(2026, 4, 30))
    assert "The period 2026-04 is closed" in text
    assert "The period 2026-04 is closed" in " ".join(
        services.invoice_issue_problems(invoice, on=dt.date(2026, 4, 30))
    )


def test_the_api_answers_422_for_a_closed_month(as_sylvie, draft, sylvie):
    period_close(month=dt.date(2026, 4, 1), acting_user=sylvie)
    invoice = draft()
    response = as_sylvie.post(
        f"/api/v1/invoices/{invoice.pk}/issue?issue_date=2026-04-30", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert "closed" in response.json()["detail"][0]["message"]


def test_at_most_thirty_days_before_today_by_default(draft, sylvie):
    assert "more than 30 days before today" in problems(draft(), TODAY - dt.timedelta(days=31))
    issued = services.invoice_issue(
        invoice=draft(), acting_user=sylvie, issue_date=TODAY - dt.timedelta(days=30)
    )
    assert issued.issue_date == dt.date(2026, 4, 14)


def test_the_window_is_a_dated_co_op_setting(draft, sylvie):
    InvoicingSettings.objects.create(
        valid_from=dt.date(2026, 5, 1), max_backdating_days=10, source="Board, 2026-04-28"
    )
    assert "more than 10 days before today" in problems(draft(), TODAY - dt.timedelta(days=11))
    InvoicingSettings.objects.create(valid_from=dt.date(2026, 5, 14), max_backdating_days=60)
    issued = services.invoice_issue(
        invoice=draft(), acting_user=sylvie, issue_date=TODAY - dt.timedelta(days=45)
    )
    assert issued.number == "F-2026-000001"


def test_never_after_today(draft):
    assert "in the future" in problems(draft(), TODAY + dt.timedelta(days=1))


def test_never_into_an_earlier_year(draft, sylvie):
    services.invoice_issue(invoice=draft(), acting_user=sylvie)
    # F-2019-000001 in the review: a year long closed by the window and the series.
    text = problems(draft(), dt.date(2019, 6, 1))
    assert "more than 30 days" in text and "latest invoice of this series" in text


def test_never_before_the_latest_date_of_its_series(draft, sylvie):
    services.invoice_issue(invoice=draft(), acting_user=sylvie, issue_date=dt.date(2026, 5, 10))
    assert "dated 2026-05-10" in problems(draft(), dt.date(2026, 5, 9))
    same_day = services.invoice_issue(
        invoice=draft(), acting_user=sylvie, issue_date=dt.date(2026, 5, 10)
    )
    assert same_day.number == "F-2026-000002"


def test_each_series_keeps_its_own_order(draft, sylvie, camille_activity, jerome_activity, camille):
    services.invoice_issue(invoice=draft(), acting_user=sylvie, issue_date=dt.date(2026, 5, 12))
    internal = services.invoice_create_internal(
        activity=camille_activity,
        buyer_activity=jerome_activity,
        acting_user=camille.user,
        lines=lines(("1", "50.00")),
    )
    issued = services.invoice_issue(
        invoice=internal, acting_user=sylvie, issue_date=dt.date(2026, 5, 2)
    )
    assert issued.number == "INT-2026-000001"


def test_a_batch_reports_a_closed_month_without_failing(draft, sylvie):
    period_close(month=dt.date(2026, 5, 1), acting_user=sylvie)
    invoice = draft()
    issued, failed = services.invoice_issue_many(invoices=[invoice], acting_user=sylvie)
    assert issued == [] and "closed" in " ".join(failed[invoice.pk])
