"""Interest to the day: leap years, rate changes, and from when it runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from maille.collection.exceptions import CollectionError
from maille.collection.interest import interest_basis, interest_to_the_day
from maille.collection.models import LegalParameters
from maille.collection.notices import notice_create
from maille.collection.selectors import invoice_interest
from maille.collection.services import case_for

FIVE = [(dt.date(2000, 1, 1), D("5"))]


def test_a_full_common_year_at_5_percent_is_5_percent():
    assert interest_to_the_day(
        principal=D("1000.00"), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), rates=FIVE
    ) == D("50.00")


def test_a_leap_year_counts_366_days():
    # 2028 is a leap year: each day bears 1/366 of the year's rate.
    assert interest_to_the_day(
        principal=D("1000.00"), start=dt.date(2028, 1, 1), end=dt.date(2028, 12, 31), rates=FIVE
    ) == D("50.00")
    # February 29 alone: 1000 × 5 % / 366 = 0.1366… → 0.14
    assert interest_to_the_day(
        principal=D("1000.00"), start=dt.date(2028, 2, 29), end=dt.date(2028, 2, 29), rates=FIVE
    ) == D("0.14")


def test_across_a_year_end_each_year_has_its_own_day_count():
    # Dec 2027 (31 days / 365) + Jan–Feb 2028 (60 days / 366), 10 000 $ at 12 %.
    got = interest_to_the_day(
        principal=D("10000.00"),
        start=dt.date(2027, 12, 1),
        end=dt.date(2028, 2, 29),
        rates=[(dt.date(2000, 1, 1), D("12"))],
    )
    expected = D("10000") * D("0.12") * 31 / 365 + D("10000") * D("0.12") * 60 / 366
    assert got == expected.quantize(D("0.01"))


def test_a_rate_change_applies_from_its_day():
    rates = [(dt.date(2000, 1, 1), D("5")), (dt.date(2026, 7, 1), D("6"))]
    got = interest_to_the_day(
        principal=D("3650.00"), start=dt.date(2026, 6, 21), end=dt.date(2026, 7, 10), rates=rates
    )
    # 10 days at 5 % (0.50 a day) + 10 days at 6 % (0.60 a day)
    assert got == D("11.00")


def test_nothing_before_the_start_or_on_nothing_owed():
    assert interest_to_the_day(
        principal=D("0"), start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), rates=FIVE
    ) == D("0.00")
    assert interest_to_the_day(
        principal=D("100"), start=dt.date(2026, 2, 2), end=dt.date(2026, 2, 1), rates=FIVE
    ) == D("0.00")


def test_default_by_lapse_of_time_runs_from_the_due_date():
    basis = interest_basis(
        due_date=dt.date(2026, 4, 1),
        agreed_rate=D("12"),
        default_by_lapse=True,
        notice_date=None,
        notice_deadline=None,
    )
    assert basis.start == dt.date(2026, 4, 2) and basis.rate == D("12")


def test_without_an_agreed_rate_the_legal_rate_runs_from_the_notice_deadline():
    before = interest_basis(
        due_date=dt.date(2026, 4, 1),
        agreed_rate=D("0"),
        default_by_lapse=True,
        notice_date=None,
        notice_deadline=None,
    )
    assert before.start is None
    after = interest_basis(
        due_date=dt.date(2026, 4, 1),
        agreed_rate=D("0"),
        default_by_lapse=True,
        notice_date=dt.date(2026, 5, 11),
        notice_deadline=dt.date(2026, 5, 21),
    )
    assert after.start == dt.date(2026, 5, 22) and after.rate is None


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.mark.django_db
def test_an_invoice_from_an_accepted_quote_bears_its_rate_from_the_due_date(
    issue_from_quote, camille_activity, client_qc
):
    with time_machine.travel(_noon(dt.date(2026, 3, 2)), tick=False):
        invoice = issue_from_quote(camille_activity, client_qc, rate="12.00")
    view = invoice_interest(invoice, on=dt.date(2026, 5, 1))  # due April 1: 30 days
    expected = invoice.total * D("0.12") * 30 / 365
    assert view.amount == expected.quantize(D("0.01"))
    assert view.basis.agreed


@pytest.mark.django_db
def test_the_legal_rate_follows_its_dated_changes(issue, camille_activity, client_qc, sylvie):
    with time_machine.travel(_noon(dt.date(2026, 3, 2)), tick=False):
        invoice = issue(camille_activity, client_qc)
    LegalParameters.objects.create(
        valid_from=dt.date(2026, 6, 1),
        legal_interest_rate=D("7.00"),
        small_claims_ceiling=D("15000"),
        small_claims_max_employees=10,
    )
    with time_machine.travel(_noon(dt.date(2026, 5, 11)), tick=False):
        notice = notice_create(
            case=case_for(invoice),
            invoice_ids=[invoice.pk],
            date=dt.date(2026, 5, 11),
            acting_user=sylvie,
            send=False,
        )
    assert notice.interest == D("0.00")  # nothing runs before the deadline (May 21)
    view = invoice_interest(invoice, on=dt.date(2026, 6, 10))
    # May 22–31 at 5 %, June 1–10 at 7 %
    expected = invoice.total * (D("0.05") * 10 + D("0.07") * 10) / 365
    assert view.amount == expected.quantize(D("0.01"))


@pytest.mark.django_db
def test_interest_beyond_what_the_contract_allows_is_refused(
    issue_from_quote, camille_activity, client_qc, sylvie
):
    with time_machine.travel(_noon(dt.date(2026, 3, 2)), tick=False):
        invoice = issue_from_quote(camille_activity, client_qc, rate="12.00")
    with (
        time_machine.travel(_noon(dt.date(2026, 5, 11)), tick=False),
        pytest.raises(CollectionError, match="dépasse ce que le contrat permet"),
    ):
        notice_create(
            case=case_for(invoice),
            invoice_ids=[invoice.pk],
            date=dt.date(2026, 5, 11),
            acting_user=sylvie,
            send=False,
            interest_rate=D("18"),
        )
