"""The co-op's employer payroll figures: the row in force on a pay date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from maille.payroll.engine import EmployerRates, FssSector, PayInput, calculate, load_params
from maille.payroll.models import EmployerPayrollSettings, FssSectorChoice
from maille.payroll.selectors import employer_rates_on

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2026, 7, 1)


@pytest.fixture
def july_change() -> EmployerPayrollSettings:
    """The co-op's CNESST notice arrives: its own unit and rate from July 1st."""
    return EmployerPayrollSettings.objects.create(
        valid_from=JULY_1,
        cnesst_unit_code="72029",
        cnesst_unit_label="Services professionnels",
        cnesst_rate=Decimal("0.87"),
        fss_sector=FssSectorChoice.GENERAL,
        total_payroll=Decimal("2500000.00"),
        wsdrf_applies=False,
    )


def test_the_2026_row_holds_the_defaults_the_engine_used_before():
    seeded = EmployerPayrollSettings.in_force(dt.date(2026, 1, 1))
    assert seeded is not None
    assert seeded.valid_from == dt.date(2026, 1, 1)
    assert seeded.cnesst_rate == Decimal("1.54")
    assert "[check]" in seeded.note
    pay = PayInput(periods_per_year=26, gross=Decimal("2500.00"))
    params = load_params(2026)
    with_row = calculate(
        PayInput(periods_per_year=26, gross=Decimal("2500.00"), employer=employer_rates_on(JULY_1)),
        params,
    )
    assert with_row == calculate(pay, params)


def test_before_any_row_the_engine_defaults_apply():
    assert EmployerPayrollSettings.in_force(dt.date(2025, 12, 31)) is None
    assert employer_rates_on(dt.date(2025, 12, 31)) == EmployerRates()


def test_a_change_applies_from_its_date_not_the_day_before(july_change):
    day_before = EmployerPayrollSettings.in_force(JULY_1 - dt.timedelta(days=1))
    assert day_before is not None and day_before.valid_from == dt.date(2026, 1, 1)
    assert EmployerPayrollSettings.in_force(JULY_1) == july_change
    assert EmployerPayrollSettings.in_force(JULY_1 + dt.timedelta(days=1)) == july_change


def test_the_row_in_force_becomes_the_engines_employer_rates(july_change):
    assert employer_rates_on(dt.date(2026, 12, 31)) == EmployerRates(
        total_payroll=Decimal("2500000.00"),
        fss_sector=FssSector.GENERAL,
        cnesst_rate=Decimal("0.87"),
        wsdrf_applies=False,
    )
    assert employer_rates_on(JULY_1 - dt.timedelta(days=1)).cnesst_rate == Decimal("1.54")


def test_the_sectors_are_the_engines():
    assert set(FssSectorChoice.values) == {sector.value for sector in FssSector}


@pytest.mark.parametrize(
    ("field", "value"), [("cnesst_rate", Decimal("-0.01")), ("total_payroll", Decimal("-1"))]
)
def test_the_database_refuses_a_negative_rate_or_payroll(field, value):
    rows = EmployerPayrollSettings.objects.filter(valid_from=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{field: value})


def test_the_database_refuses_an_unknown_sector():
    rows = EmployerPayrollSettings.objects.filter(valid_from=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(fss_sector="mining")


def test_two_rows_cannot_start_the_same_day():
    seeded = EmployerPayrollSettings.objects.get(valid_from=dt.date(2026, 1, 1))
    seeded.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        seeded.save()
