"""Worked examples: the postings of ARCHITECTURE §3 as an accountant tells them.

The ledger's own stories: each event is posted straight through the posting
service with the lines of the posting table, so the ledger's rules are
checked on their own; the apps check that they post those lines (invoicing:
``invoicing/tests/test_ledger_stories.py``). The figures are an example's, not
the co-op's dated rates and policy. Every balance is checked at the end.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.ledger import accounts as acc
from maille.ledger.selectors import balance, ledger_problems, trial_balance
from maille.ledger.services import entry_reverse
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_year_of_camilles_illustration_activity(camille_activity, coop, fonds, sylvie):
    a = camille_activity
    # March 2. The co-op invoices 1 000 $ of illustrations to a Québec
    # publisher for Camille: GST 5 % and QST 9.975 % on top.
    post(
        line(acc.AR, a, "1149.75"),
        line(acc.REVENUE, a, "-1000.00"),
        line(acc.GST_PAYABLE, a, "-50.00"),
        line(acc.QST_PAYABLE, a, "-99.75"),
        date=dt.date(2026, 3, 2),
        description="Invoice 2026-0001",
        acting_user=sylvie,
    )
    # The mutualized contribution, 6.5 % of 1 000 $: 55 $ to the co-op,
    # 10 $ to the guarantee fund (its share is the board's policy).
    post(
        line(acc.CONTRIBUTION_EXPENSE, a, "65.00"),
        line(acc.CONTRIBUTION_INCOME, coop, "-55.00"),
        line(acc.CONTRIBUTION_INCOME, fonds, "-10.00"),
        date=dt.date(2026, 3, 2),
        description="Contribution on invoice 2026-0001",
    )
    # March 20. The publisher pays.
    post(
        line(acc.BANK, a, "1149.75"),
        line(acc.AR, a, "-1149.75"),
        date=dt.date(2026, 3, 20),
        description="Payment of invoice 2026-0001",
    )
    # March 31. Camille is paid: 700 $ gross, 100 $ of employer contributions;
    # 80 $ of federal and 170 $ of Québec deductions (employee and employer).
    post(
        line(acc.SALARIES, a, "700.00"),
        line(acc.EMPLOYER_CONTRIBUTIONS, a, "100.00"),
        line(acc.FEDERAL_DEDUCTIONS_PAYABLE, a, "-80.00"),
        line(acc.QUEBEC_DEDUCTIONS_PAYABLE, a, "-170.00"),
        line(acc.NET_PAY_PAYABLE, a, "-550.00"),
        date=dt.date(2026, 3, 31),
        description="Pay run 2026-03",
    )
    assert balance(account=acc.BANK, as_of=dt.date(2026, 3, 31)) == D("1149.75")
    # April 3: the net pay leaves the bank; April 15: the deductions are remitted.
    post(
        line(acc.NET_PAY_PAYABLE, a, "550.00"),
        line(acc.BANK, a, "-550.00"),
        date=dt.date(2026, 4, 3),
        description="Net pay 2026-03",
    )
    post(
        line(acc.FEDERAL_DEDUCTIONS_PAYABLE, a, "80.00"),
        line(acc.QUEBEC_DEDUCTIONS_PAYABLE, a, "170.00"),
        line(acc.BANK, a, "-250.00"),
        date=dt.date(2026, 4, 15),
        description="Remittance 2026-03 (CRA and Revenu Québec)",
    )
    # April 10. Camille's claim for 100 $ of paper and ink, taxes included on
    # top: the co-op claims GST 5.00 $ and QST 9.98 $ back.
    post(
        line(acc.ACTIVITY_EXPENSES, a, "100.00"),
        line(acc.ITC_RECEIVABLE, a, "14.98"),
        line(acc.REIMBURSEMENTS_PAYABLE, a, "-114.98"),
        date=dt.date(2026, 4, 10),
        description="Expense claim 17",
    )
    # April 12. A desk for the month, booked twice by mistake; the second
    # booking is reversed the next day.
    post(
        line(acc.SPACE_EXPENSE, a, "40.00"),
        line(acc.SPACE_INCOME, coop, "-40.00"),
        date=dt.date(2026, 4, 12),
        description="Booking 31",
    )
    twice = post(
        line(acc.SPACE_EXPENSE, a, "40.00"),
        line(acc.SPACE_INCOME, coop, "-40.00"),
        date=dt.date(2026, 4, 12),
        description="Booking 32",
    )
    entry_reverse(entry=twice, date=dt.date(2026, 4, 13), acting_user=sylvie, reason="Booked twice")
    # May 1. A second invoice, 500 $ + taxes, to a client that goes bankrupt.
    post(
        line(acc.AR, a, "574.88"),
        line(acc.REVENUE, a, "-500.00"),
        line(acc.GST_PAYABLE, a, "-25.00"),
        line(acc.QST_PAYABLE, a, "-49.88"),
        date=dt.date(2026, 5, 1),
        description="Invoice 2026-0002",
    )
    post(
        line(acc.CONTRIBUTION_EXPENSE, a, "32.50"),
        line(acc.CONTRIBUTION_INCOME, coop, "-27.50"),
        line(acc.CONTRIBUTION_INCOME, fonds, "-5.00"),
        date=dt.date(2026, 5, 1),
        description="Contribution on invoice 2026-0002",
    )
    # June 30. The order had been accepted: the guarantee fund takes the
    # loss; the taxes never collected are taken back from the tax accounts.
    post(
        line(acc.BAD_DEBTS, fonds, "500.00"),
        line(acc.GST_PAYABLE, a, "25.00"),
        line(acc.QST_PAYABLE, a, "49.88"),
        line(acc.AR, a, "-574.88"),
        date=dt.date(2026, 6, 30),
        description="Bad debt, invoice 2026-0002, covered by the guarantee fund",
    )

    expected = {
        acc.BANK: "349.75",
        acc.AR: "0.00",
        acc.ITC_RECEIVABLE: "14.98",
        acc.GST_PAYABLE: "-50.00",
        acc.QST_PAYABLE: "-99.75",
        acc.FEDERAL_DEDUCTIONS_PAYABLE: "0.00",
        acc.QUEBEC_DEDUCTIONS_PAYABLE: "0.00",
        acc.NET_PAY_PAYABLE: "0.00",
        acc.REIMBURSEMENTS_PAYABLE: "-114.98",
        acc.REVENUE: "-1500.00",
        acc.CONTRIBUTION_INCOME: "-97.50",
        acc.SPACE_INCOME: "-40.00",
        acc.CONTRIBUTION_EXPENSE: "97.50",
        acc.SALARIES: "700.00",
        acc.EMPLOYER_CONTRIBUTIONS: "100.00",
        acc.BAD_DEBTS: "500.00",
        acc.SPACE_EXPENSE: "40.00",
        acc.ACTIVITY_EXPENSES: "100.00",
    }
    for code, amount in expected.items():
        assert balance(account=code) == D(amount), code
    # The co-op's two activities.
    assert balance(account=acc.CONTRIBUTION_INCOME, activity=coop) == D("-82.50")
    assert balance(account=acc.CONTRIBUTION_INCOME, activity=fonds) == D("-15.00")
    assert balance(activity=coop) == D("-122.50")
    assert balance(activity=fonds) == D("485.00")  # received 15 $, lost 500 $
    assert balance(activity=a) == D("-362.50")
    # Camille's budget (revenue and expenses of the activity): 462.50 $ left.
    result = sum(
        (
            balance(account=code, activity=a)
            for code in (
                acc.REVENUE,
                acc.CONTRIBUTION_EXPENSE,
                acc.SALARIES,
                acc.EMPLOYER_CONTRIBUTIONS,
                acc.ACTIVITY_EXPENSES,
                acc.SPACE_EXPENSE,
            )
        ),
        D(0),
    )
    assert result == D("-462.50")
    # Balances as of earlier days.
    assert balance(account=acc.AR, as_of=dt.date(2026, 3, 19)) == D("1149.75")
    assert balance(account=acc.AR, as_of=dt.date(2026, 3, 20)) == D("0.00")
    assert balance(account=acc.BANK, as_of=dt.date(2026, 4, 3)) == D("599.75")
    assert balance(account=acc.BANK, as_of=dt.date(2026, 4, 14)) == D("599.75")
    assert balance(account=acc.SPACE_EXPENSE, as_of=dt.date(2026, 4, 12)) == D("80.00")
    assert balance(account=acc.AR, as_of=dt.date(2026, 5, 31)) == D("574.88")
    assert balance(as_of=dt.date(2026, 2, 28)) == D("0.00")
    # The trial balance balances; nothing derived differs from the lines.
    tb = trial_balance()
    assert tb.total_debit == tb.total_credit == D("1902.23")
    # Accounts that have lines are listed, even when they are back to zero.
    assert {r.account.code: r.balance for r in tb.rows} == {
        code: D(amount) for code, amount in expected.items()
    }
    assert ledger_problems() == []


def test_an_ontario_client_is_charged_hst(jerome_activity, coop):
    a = jerome_activity
    post(
        line(acc.AR, a, "2260.00"),
        line(acc.REVENUE, a, "-2000.00"),
        line(acc.HST_PAYABLE, a, "-260.00"),  # 13 % HST, place of supply Ontario
        description="Invoice 2026-0003 (Ottawa)",
    )
    post(line(acc.BANK, a, "2260.00"), line(acc.AR, a, "-2260.00"), description="Payment 2026-0003")
    assert balance(account=acc.HST_PAYABLE) == D("-260.00")
    assert balance(account=acc.AR, activity=a) == D("0.00")
    assert balance(account=acc.REVENUE, activity=a) == D("-2000.00")
    assert ledger_problems() == []
