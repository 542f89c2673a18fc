"""Only admins change the co-op's payroll settings; staff read them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.payroll.models import EmployerPayrollSettings

pytestmark = pytest.mark.django_db

URL = "/admin/payroll/employerpayrollsettings/"
NEW_ROW = {
    "valid_from": "2027-01-01",
    "cnesst_unit_code": "72029",
    "cnesst_unit_label": "Services professionnels",
    "cnesst_rate": "0.87",
    "fss_sector": "general",
    "total_payroll": "1200000.00",
    "wsdrf_applies": "on",
    "note": "Avis de la CNESST du 2026-12-01",
}


@pytest.fixture
def seeded() -> EmployerPayrollSettings:
    return EmployerPayrollSettings.objects.get(valid_from=dt.date(2026, 1, 1))


def test_an_admin_adds_a_dated_row_and_the_history_says_who(as_anne, anne):
    response = as_anne.post(f"{URL}add/", NEW_ROW)
    assert response.status_code == 302, response.content
    row = EmployerPayrollSettings.objects.get(valid_from=dt.date(2027, 1, 1))
    assert (row.cnesst_rate, row.total_payroll) == (Decimal("0.87"), Decimal("1200000.00"))
    assert row.history.get().history_user == anne


def test_an_admin_changes_a_row(as_anne, seeded):
    data = {**NEW_ROW, "valid_from": "2026-01-01", "cnesst_rate": "1.61"}
    response = as_anne.post(f"{URL}{seeded.pk}/change/", data)
    assert response.status_code == 302, response.content
    seeded.refresh_from_db()
    assert seeded.cnesst_rate == Decimal("1.61")


def test_the_form_refuses_a_negative_rate(as_anne):
    response = as_anne.post(f"{URL}add/", {**NEW_ROW, "cnesst_rate": "-1.00"})
    assert response.status_code == 200
    assert not EmployerPayrollSettings.objects.filter(valid_from=dt.date(2027, 1, 1)).exists()


def test_staff_may_read_the_settings(as_sylvie, seeded):
    assert as_sylvie.get(URL).status_code == 200
    page = as_sylvie.get(f"{URL}{seeded.pk}/change/")
    assert page.status_code == 200
    assert 'name="cnesst_rate"' not in page.text  # read-only: no input to change


def test_staff_cannot_add_a_row(as_sylvie):
    assert as_sylvie.get(f"{URL}add/").status_code == 403
    assert as_sylvie.post(f"{URL}add/", NEW_ROW).status_code == 403
    assert not EmployerPayrollSettings.objects.filter(valid_from=dt.date(2027, 1, 1)).exists()


def test_staff_cannot_change_or_delete_a_row(as_sylvie, seeded):
    data = {**NEW_ROW, "valid_from": "2026-01-01", "cnesst_rate": "0.01"}
    assert as_sylvie.post(f"{URL}{seeded.pk}/change/", data).status_code == 403
    assert as_sylvie.get(f"{URL}{seeded.pk}/delete/").status_code == 403
    assert as_sylvie.post(f"{URL}{seeded.pk}/delete/", {"post": "yes"}).status_code == 403
    seeded.refresh_from_db()
    assert seeded.cnesst_rate == Decimal("1.54")


def test_staff_cannot_revert_a_row_to_an_older_version(as_anne, as_sylvie, seeded):
    as_anne.post(f"{URL}{seeded.pk}/change/", {**NEW_ROW, "valid_from": "2026-01-01"})
    version = seeded.history.earliest()
    revert = f"{URL}{seeded.pk}/history/{version.history_id}/"
    data = {**NEW_ROW, "valid_from": "2026-01-01", "cnesst_rate": "0.01"}
    assert as_sylvie.get(revert).status_code == 200  # may read an old version
    assert as_sylvie.post(revert, data).status_code == 403
    seeded.refresh_from_db()
    assert seeded.cnesst_rate == Decimal("0.87")
