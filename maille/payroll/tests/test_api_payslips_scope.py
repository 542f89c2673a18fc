"""``GET /api/v1/payroll/payslips``: the keys of ``maille payroll calc --json``,
and a member sees only their own payslips (another's is a 404, PDF included)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from maille.payroll import services
from maille.payroll.models import Payslip, RequestBasis
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted_run(camille, camille_activity, jerome, jerome_activity, sylvie):
    """Camille (member A) and Jérôme (member B) each paid by one posted run."""
    calendar()
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        for member, activity in ((camille, camille_activity), (jerome, jerome_activity)):
            fund(activity, "4000.00")
            services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("2000.00"),
                hours=Decimal("70"),
                acting_user=member.user,
            )
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    return services.payrun_post(run=run, acting_user=sylvie)


def _calc(*args):
    out = StringIO()
    call_command("payroll", "calc", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_a_payslip_carries_every_key_of_calc_json(posted_run, as_sylvie):
    (payslip, *_others) = as_sylvie.get(f"/api/v1/payroll/payslips?run={posted_run.pk}").json()[
        "items"
    ]
    calc = _calc("--year", "2026", "--periods", "26", "--gross", payslip["gross"])
    assert set(calc) - set(payslip) == set()
    assert set(calc["employer"]) == set(payslip["employer"])
    assert set(calc["ytd"]) == set(payslip["ytd"])
    assert payslip["year"] == calc["year"] == 2026
    # Besides calc's keys: the inputs and the year-to-date used.
    assert {"inputs", "ytd_before"} <= set(payslip) - set(calc)


def test_a_member_lists_only_their_own_payslips(posted_run, camille, jerome, as_jerome):
    assert Payslip.objects.count() == 2
    everything = as_jerome.get("/api/v1/payroll/payslips").json()
    assert [p["member"] for p in everything["items"]] == [jerome.number]
    assert everything["count"] == 1
    of_the_run = as_jerome.get(f"/api/v1/payroll/payslips?run={posted_run.pk}").json()
    assert [p["member"] for p in of_the_run["items"]] == [jerome.number]


def test_a_member_gets_404_for_another_members_payslip_and_its_pdf(
    posted_run, camille, as_camille, as_jerome
):
    theirs = Payslip.objects.get(member=camille)
    assert as_jerome.get(f"/api/v1/payroll/payslips/{theirs.pk}").status_code == 404
    assert as_jerome.get(f"/api/v1/payroll/payslips/{theirs.pk}/pdf").status_code == 404
    # Camille herself reads both.
    assert as_camille.get(f"/api/v1/payroll/payslips/{theirs.pk}").status_code == 200
    pdf = as_camille.get(f"/api/v1/payroll/payslips/{theirs.pk}/pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
