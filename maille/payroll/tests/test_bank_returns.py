"""After the bank file: the bank's debit cleared by the statement import, and the
bank's return file of deposits it could not make."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.ledger import accounts
from maille.ledger.models import Account, JournalLine
from maille.payments.importing import statement_import
from maille.payments.models import BankAccount, BankLine, LineStatus
from maille.payroll import services
from maille.payroll.bankfile import bank_file_create, bank_file_mark_sent, bank_returns_import
from maille.payroll.cpa005 import RECORD, SEGMENT, parse_returns
from maille.payroll.exceptions import PayrollError
from maille.payroll.models import EmploymentRecord, Payslip, RequestBasis
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(camille, camille_activity, jerome, jerome_activity, sylvie):
    """A posted run of two pays whose bank file is recorded as sent."""
    calendar()
    for member, activity, gross in (
        (camille, camille_activity, "2000.00"),
        (jerome, jerome_activity, "1800.00"),
    ):
        member.bank_account = "815-30001-1234567" if member == camille else "006-00011-7654321"
        member.save()
        fund(activity, "6000.00")
        with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
            services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.GROSS,
                amount=Decimal(gross),
                hours=Decimal("70"),
                acting_user=member.user,
            )
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    run = services.payrun_post(run=run, acting_user=sylvie)
    with time_machine.travel(dt.datetime(2026, 1, 6, 12, tzinfo=dt.UTC)):
        bank_file = bank_file_create(run=run, acting_user=sylvie)
        return bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)


def _returned_file(bank_file, reasons):
    """The bank's return file: our header, the returned deposits as records of
    type I carrying the original segment and a Standard 007 code, a trailer."""
    records = bank_file.content.split("\r\n")[:-1]
    segments = []
    for record in records[1:-1]:
        body = record[24:]
        for k in range(6):
            segment = body[k * SEGMENT : (k + 1) * SEGMENT]
            if segment.strip():
                segments.append(segment)
    out = [records[0]]
    for segment, reason in zip(segments, reasons, strict=False):
        if reason is None:
            continue
        segment = segment[:190] + reason.ljust(15) + segment[205:]
        out.append(("I" + f"{len(out) + 1:09d}" + records[1][10:24] + segment).ljust(RECORD))
    out.append(("Z" + f"{len(out) + 1:09d}" + records[-1][10:]).ljust(RECORD))
    return "".join(r + "\r\n" for r in out)


def test_the_statement_import_clears_the_bank_files_debit(sent, sylvie):
    operating = BankAccount.objects.create(
        name="Desjardins",
        institution="815",
        transit="30001",
        number="1234567",
        ledger_account=Account.objects.get(code=accounts.BANK),
    )
    total = f"{sent.total:.2f}"
    csv = f'815-30001,1234567,EOP,2026/01/08,1,"Paie fichier AFT",,{total},,,,,,\r\n'
    statement_import(
        bank_account=operating, data=csv.encode("cp1252"), filename="s.csv", acting_user=sylvie
    )
    (line,) = BankLine.objects.all()
    assert line.status == LineStatus.MATCHED
    # The line is the entry that moved the net pays to the bank: nothing is paid twice.
    assert line.entry.idempotency_key == f"payroll:bankfile:{sent.pk}:sent"
    assert JournalLine.objects.filter(
        entry=line.entry, account__code=accounts.BANK
    ).get().amount == (-sent.total)


def test_a_return_file_puts_the_net_pay_back_and_flags_the_account(sent, sylvie, camille):
    camille_slip = Payslip.objects.get(member=camille)
    content = _returned_file(sent, ["905", None])
    parsed = parse_returns(content)
    assert [(i.reference, i.amount, i.reason) for i in parsed.items] == [
        (f"MAILLE{camille_slip.pk}", camille_slip.net, "905")
    ]
    result = bank_returns_import(content=content, acting_user=sylvie)
    assert [p.pk for p in result.returned] == [camille_slip.pk] and not result.problems
    camille_slip.refresh_from_db()
    assert camille_slip.returned_at is not None
    assert EmploymentRecord.objects.get(member=camille).bank_account_returned
    payable = JournalLine.objects.filter(
        activity=camille_slip.activity, account__code=accounts.NET_PAY_PAYABLE
    )
    assert sum(line.amount for line in payable) == -camille_slip.net  # payable again
    # The same file again: nothing new.
    again = bank_returns_import(content=content, acting_user=sylvie)
    assert not again.returned and [p.pk for p in again.already] == [camille_slip.pk]
    assert payable.count() == 3


def test_items_that_do_not_fit_are_listed_never_guessed(sent, sylvie, camille, jerome):
    content = _returned_file(sent, ["905", "   "])
    jerome_slip = Payslip.objects.get(member=jerome)
    tampered = content.replace(f"{int(jerome_slip.net * 100):010d}", "0000000001", 1)
    result = bank_returns_import(content=tampered, acting_user=sylvie)
    assert len(result.returned) == 1
    assert len(result.problems) == 1 and "MAILLE" in result.problems[0]
    assert Payslip.objects.get(member=jerome).returned_at is None


@pytest.mark.parametrize(
    "content",
    ["", "hello\r\n", "A" + " " * 1463 + "\r\n", "A000000001X\r\nQ\r\nZ\r\n"],
)
def test_a_file_that_is_not_a_return_file_is_refused_whole(sent, sylvie, content):
    with pytest.raises(PayrollError) as refused:
        bank_returns_import(content=content, acting_user=sylvie)
    assert refused.value.field == "file"
    assert not Payslip.objects.filter(returned_at__isnull=False).exists()


def test_staff_import_the_return_file_on_the_page_and_through_the_api(
    sent, camille, as_sylvie, as_camille
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = _returned_file(sent, ["912", None]).encode("ascii")
    upload = SimpleUploadedFile("retours.txt", content, content_type="text/plain")
    assert as_camille.post("/paie/retours/", {"file": upload}).status_code == 404
    upload.seek(0)
    page = as_sylvie.post("/paie/retours/", {"file": upload}, follow=True)
    assert "1 dépôts retournés inscrits, 0 déjà inscrits" in page.content.decode()
    assert Payslip.objects.get(member=camille).returned_at is not None
    upload.seek(0)
    assert as_camille.post("/api/v1/payroll/returns", {"file": upload}).status_code == 404
    upload.seek(0)
    api = as_sylvie.post("/api/v1/payroll/returns", {"file": upload})
    slip = Payslip.objects.get(member=camille)
    assert api.status_code == 200
    assert api.json() == {"returned": [], "already": [slip.pk], "problems": []}
