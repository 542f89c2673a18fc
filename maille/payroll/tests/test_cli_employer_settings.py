"""`maille payroll calc` takes the co-op's figures from the payroll settings of the pay date."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from maille.payroll.models import EmployerPayrollSettings, FssSectorChoice

pytestmark = pytest.mark.django_db


def calc(*args: str, stderr: StringIO | None = None) -> Any:
    out = StringIO()
    call_command(
        "payroll", "calc", "--gross", "2500.00", *args, "--json",
        stdout=out, stderr=stderr or StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue())


@pytest.fixture
def notice_of_july() -> EmployerPayrollSettings:
    """The CNESST's notice: the co-op's own unit, at 0.87 $ per 100 $ from July 1st."""
    return EmployerPayrollSettings.objects.create(
        valid_from=dt.date(2026, 7, 1),
        cnesst_unit_code="72029",
        cnesst_unit_label="Services professionnels",
        cnesst_rate=Decimal("0.87"),
        fss_sector=FssSectorChoice.GENERAL,
        total_payroll=Decimal("0.00"),
    )


def test_a_changed_cnesst_rate_applies_from_its_pay_date(notice_of_july):
    # 0.87 % × 2 500 = 21.75; before the change, 1.54 % × 2 500 = 38.50.
    assert calc("--pay-date", "2026-07-01")["employer"]["cnesst"] == "21.75"
    assert calc("--pay-date", "2026-06-30")["employer"]["cnesst"] == "38.50"


def test_the_pay_date_gives_the_year(notice_of_july):
    assert calc("--pay-date", "2026-07-02")["year"] == 2026


def test_an_option_overrides_the_setting_it_names(notice_of_july):
    body = calc("--pay-date", "2026-07-01", "--cnesst-rate", "2.00")
    assert body["employer"]["cnesst"] == "50.00"


def test_payroll_sector_and_training_fund_come_from_the_settings():
    EmployerPayrollSettings.objects.create(
        valid_from=dt.date(2026, 9, 1),
        cnesst_unit_label="Services professionnels",
        cnesst_rate=Decimal("1.54"),
        fss_sector=FssSectorChoice.PRIMARY_MANUFACTURING,
        total_payroll=Decimal("2500000.00"),
        wsdrf_applies=False,
    )
    employer = calc("--pay-date", "2026-09-01")["employer"]
    # FSS 0.8074 + 0.4426 × 2.5 = 1.9139 %, × 2 500 = 47.85; no WSDRF (training spent).
    assert (employer["fss"], employer["wsdrf"]) == ("47.85", "0.00")
    general = calc("--pay-date", "2026-09-01", "--fss-sector", "general")["employer"]
    assert general["fss"] == "55.64"  # 1.2662 + 0.3838 × 2.5 = 2.2257 %


def test_without_settings_the_built_in_figures_apply():
    EmployerPayrollSettings.objects.all().delete()
    employer = calc("--pay-date", "2026-07-01")["employer"]
    assert (employer["cnesst"], employer["fss"], employer["wsdrf"]) == ("38.50", "41.25", "0.00")


def test_without_the_table_it_says_so_and_uses_the_built_in_figures(monkeypatch):
    def no_table(date: dt.date) -> None:
        raise OperationalError("no such table: payroll_employerpayrollsettings")

    monkeypatch.setattr("maille.payroll.management.commands.payroll.employer_rates_on", no_table)
    err = StringIO()
    body = calc("--lang", "en", stderr=err)
    assert body["employer"]["cnesst"] == "38.50"
    assert "No payroll settings in the database" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pay-date", "2026-13-01"), "--pay-date: not a date (YYYY-MM-DD): 2026-13-01"),
        (("--year", "2026", "--pay-date", "2027-01-08"), "--pay-date must fall in --year (2026)."),
    ],
)
def test_a_bad_pay_date_is_refused(args, message):
    with pytest.raises(CommandError) as error:
        calc(*args, "--lang", "en")
    assert error.value.returncode == 2
    assert message in str(error.value)
