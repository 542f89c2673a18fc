"""Nets still owed: a pay left out of its run's bank file (no valid account) or
returned by the bank is paid later, once: by the next run's file when the
member's account is valid again, or by a cheque staff record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.ledger import accounts
from maille.ledger.models import JournalEntry, JournalLine
from maille.payroll import services
from maille.payroll.bankfile import (
    bank_file_create,
    bank_file_mark_sent,
    net_pay_paid_otherwise,
    nets_owed,
    nets_owed_list,
    payment_return,
)
from maille.payroll.cpa005 import SEGMENT
from maille.payroll.exceptions import PayrollError, RunConflict
from maille.payroll.models import BankFile, Payslip, RequestBasis
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db

NET = Decimal("1234.56")
JAN_8, JAN_22, FEB_5 = dt.date(2026, 1, 8), dt.date(2026, 1, 22), dt.date(2026, 2, 5)


def _ask(member, activity, pay_date, *, basis=RequestBasis.GROSS, amount="1800.00"):
    with time_machine.travel(
        dt.datetime.combine(pay_date - dt.timedelta(days=3), dt.time(12), tzinfo=dt.UTC)
    ):
        services.salary_request_create(
            member=member,
            activity=activity,
            basis=basis,
            amount=Decimal(amount),
            hours=Decimal("70"),
            acting_user=member.user,
        )


def _run(pay_date, sylvie, *, send=True):
    run = services.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    run = services.payrun_post(run=run, acting_user=sylvie)
    with time_machine.travel(
        dt.datetime.combine(pay_date - dt.timedelta(days=2), dt.time(12), tzinfo=dt.UTC)
    ):
        bank_file = bank_file_create(run=run, acting_user=sylvie)
        if send:
            bank_file = bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    return run, bank_file


def _payable(payslip) -> Decimal:
    lines = JournalLine.objects.filter(
        activity=payslip.activity, account__code=accounts.NET_PAY_PAYABLE
    )
    return sum((line.amount for line in lines), Decimal(0))


def _references(bank_file) -> list[tuple[str, Decimal]]:
    """(cross-reference, amount) of each credit in a CPA-005 file."""
    out = []
    for record in bank_file.content.split("\r\n")[1:-2]:
        body = record[24:]
        for k in range(6):
            segment = body[k * SEGMENT : (k + 1) * SEGMENT]
            if segment.strip():
                amount = Decimal(int(segment[3:13])) / 100
                out.append((segment[150:169].strip(), amount))
    return out


@pytest.fixture
def paid(camille, camille_activity, jerome, jerome_activity, sylvie):
    """Camille asks for a net of 1 234,56 $, Jérôme a gross: both in the January 8
    run; camille's deposit is in its file, sent."""
    calendar()
    camille.bank_account = "815-30001-1234567"
    camille.save()
    jerome.bank_account = "006-00011-7654321"
    jerome.save()
    fund(camille_activity, "9000.00")
    fund(jerome_activity, "9000.00")
    _ask(camille, camille_activity, JAN_8, basis=RequestBasis.NET, amount=str(NET))
    _ask(jerome, jerome_activity, JAN_8)
    return _run(JAN_8, sylvie)


def test_a_returned_deposit_rides_in_the_next_file_once_the_account_is_fixed(
    paid, camille, jerome, jerome_activity, sylvie
):
    _run1, file1 = paid
    slip = Payslip.objects.get(member=camille)
    assert slip.net == NET
    assert (f"MAILLE{slip.pk}", NET) in _references(file1)
    payment_return(payslip=slip, reason_code="905", acting_user=sylvie)
    assert _payable(slip) == -NET  # payable again

    # Not fixed yet: the next file leaves it owed, listed with the reason.
    (owed,) = nets_owed_list()
    assert owed.payslip == slip and "retourné" in owed.reason and owed.problem_now

    services.employment_record_update(
        member=camille, acting_user=camille.user, bank_account="815-30001-1112223"
    )
    (owed,) = nets_owed_list()
    assert owed.problem_now == ""  # the next file carries it
    _ask(jerome, jerome_activity, JAN_22)
    run2, file2 = _run(JAN_22, sylvie, send=False)
    jerome_net2 = Payslip.objects.get(run=run2, member=jerome).net
    assert sorted(_references(file2)) == sorted(
        [(f"MAILLE{slip.pk}", NET), (f"MAILLE{Payslip.objects.get(run=run2).pk}", jerome_net2)]
    )
    assert file2.count == 2 and file2.total == NET + jerome_net2
    slip.refresh_from_db()
    assert slip.carried_in == file2
    assert not nets_owed().exists()

    # Made again (a double click): the same file; a cheque is refused.
    assert bank_file_create(run=run2, acting_user=sylvie) == file2
    with pytest.raises(RunConflict):
        net_pay_paid_otherwise(payslip=slip, paid_on=JAN_22, reference="CHQ 1", acting_user=sylvie)

    bank_file_mark_sent(bank_file=file2, acting_user=sylvie)
    assert _payable(slip) == 0  # net pay payable cleared
    (sent_entry,) = JournalEntry.objects.filter(idempotency_key=f"payroll:bankfile:{file2.pk}:sent")
    bank_lines = JournalLine.objects.filter(entry=sent_entry, account__code=accounts.BANK)
    assert sum(line.amount for line in bank_lines) == -(NET + jerome_net2)

    # A third run's file does not carry it again.
    _ask(jerome, jerome_activity, FEB_5)
    _run3, file3 = _run(FEB_5, sylvie)
    assert f"MAILLE{slip.pk}" not in [ref for ref, _a in _references(file3)]
    assert _payable(slip) == 0


def test_a_carried_deposit_returned_again_is_owed_again(
    paid, camille, jerome, jerome_activity, sylvie
):
    slip = Payslip.objects.get(member=camille)
    payment_return(payslip=slip, reason_code="905", acting_user=sylvie)
    services.employment_record_update(
        member=camille, acting_user=camille.user, bank_account="815-30001-1112223"
    )
    _ask(jerome, jerome_activity, JAN_22)
    _run(JAN_22, sylvie)
    slip.refresh_from_db()
    assert _payable(slip) == 0
    payment_return(payslip=slip, reason_code="912", acting_user=sylvie)
    slip.refresh_from_db()
    assert slip.carried_in is None and _payable(slip) == -NET
    assert list(nets_owed()) == [slip]
    with pytest.raises(RunConflict):
        payment_return(payslip=slip, reason_code="912", acting_user=sylvie)
    assert _payable(slip) == -NET


def test_a_member_still_without_an_account_stays_owed_until_a_cheque(
    camille, camille_activity, jerome, jerome_activity, sylvie
):
    calendar()
    camille.bank_account = ""
    camille.save()
    jerome.bank_account = "006-00011-7654321"
    jerome.save()
    fund(camille_activity, "9000.00")
    fund(jerome_activity, "9000.00")
    _ask(camille, camille_activity, JAN_8, basis=RequestBasis.NET, amount=str(NET))
    _ask(jerome, jerome_activity, JAN_8)
    _run(JAN_8, sylvie)
    slip = Payslip.objects.get(member=camille)
    assert slip.net == NET and slip.bank_excluded
    assert _payable(slip) == -NET

    _ask(jerome, jerome_activity, JAN_22)
    _run2, file2 = _run(JAN_22, sylvie)
    assert f"MAILLE{slip.pk}" not in [ref for ref, _a in _references(file2)]
    slip.refresh_from_db()
    assert slip.carried_in is None
    (owed,) = nets_owed_list()
    assert owed.payslip == slip
    assert owed.reason == owed.problem_now == "aucun compte bancaire au dossier"
    assert _payable(slip) == -NET

    with time_machine.travel(dt.datetime(2026, 1, 26, 12, tzinfo=dt.UTC)):
        with pytest.raises(PayrollError):  # not in the future
            net_pay_paid_otherwise(
                payslip=slip, paid_on=dt.date(2026, 2, 1), reference="CHQ 88", acting_user=sylvie
            )
        net_pay_paid_otherwise(
            payslip=slip, paid_on=dt.date(2026, 1, 23), reference="CHQ 88", acting_user=sylvie
        )
        with pytest.raises(RunConflict):  # a double click
            net_pay_paid_otherwise(
                payslip=slip, paid_on=dt.date(2026, 1, 23), reference="CHQ 88", acting_user=sylvie
            )
    assert _payable(slip) == 0
    assert (
        JournalEntry.objects.filter(
            idempotency_key=f"payroll:payslip:{slip.pk}:paid-otherwise"
        ).count()
        == 1
    )
    assert not nets_owed().exists()

    # She gives an account now: the next file does not pay her twice.
    services.employment_record_update(
        member=camille, acting_user=camille.user, bank_account="815-30001-1112223"
    )
    _ask(jerome, jerome_activity, FEB_5)
    _run3, file3 = _run(FEB_5, sylvie)
    assert f"MAILLE{slip.pk}" not in [ref for ref, _a in _references(file3)]
    assert _payable(slip) == 0
    with pytest.raises(PayrollError):  # its own run's deposit never went out
        payment_return(payslip=slip, reason_code="905", acting_user=sylvie)


def test_staff_see_and_settle_the_nets_owed_on_the_run_page_and_the_api(
    camille, camille_activity, jerome, jerome_activity, sylvie, as_sylvie, as_camille
):
    calendar()
    camille.bank_account = ""
    camille.save()
    fund(camille_activity, "9000.00")
    _ask(camille, camille_activity, JAN_8, basis=RequestBasis.NET, amount=str(NET))
    run, _file = _run(JAN_8, sylvie)
    slip = Payslip.objects.get(member=camille)

    page = as_sylvie.get(f"/paie/paies/{run.pk}/").content.decode()
    assert "Salaires nets encore dus" in page and "aucun compte bancaire au dossier" in page
    home = as_sylvie.get("/").content.decode()
    assert "1 salaire net encore dû" in home

    owed = as_sylvie.get("/api/v1/payroll/owed").json()
    assert owed == [
        {
            "payslip": slip.pk,
            "run": run.pk,
            "member": camille.number,
            "name": camille.full_name,
            "pay_date": "2026-01-08",
            "net": "1234.56",
            "reason": "aucun compte bancaire au dossier",
            "carried_next": False,
            "problem_now": "aucun compte bancaire au dossier",
        }
    ]
    assert as_camille.get("/api/v1/payroll/owed").status_code == 404
    url = f"/api/v1/payroll/payslips/{slip.pk}/paid-otherwise"
    body = {"paid_on": "2026-01-09", "reference": "CHQ 12"}
    assert as_camille.post(url, body, content_type="application/json").status_code == 404
    with time_machine.travel(dt.datetime(2026, 1, 12, 12, tzinfo=dt.UTC)):
        done = as_sylvie.post(url, body, content_type="application/json")
        again = as_sylvie.post(url, body, content_type="application/json")
        form = as_sylvie.post(
            f"/paie/bulletins/{slip.pk}/paye-autrement/",
            {"paid_on": "2026-01-09", "reference": "CHQ 12", "run": run.pk},
            follow=True,
        )
    assert done.status_code == 200
    assert done.json() == {
        "payslip": slip.pk,
        "net": "1234.56",
        "paid_on": "2026-01-09",
        "reference": "CHQ 12",
    }
    assert again.status_code == 409
    assert "déjà inscrit comme payé" in form.content.decode()
    assert _payable(slip) == 0
    assert as_sylvie.get("/api/v1/payroll/owed").json() == []
    assert BankFile.objects.count() == 1
