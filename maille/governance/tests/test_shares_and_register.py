"""Shares in the register and in the ledger are the same facts (s. 124)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.governance import services
from maille.governance.exceptions import GovernanceError
from maille.governance.models import Bylaws, DecisionKind, ShareMovement
from maille.governance.selectors import ledger_share_figures, register, share_figures
from maille.governance.tests.helpers import ADMITTED, admitted, board, coop_activity, with_shares
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def _ledger_total(code: str) -> Decimal:
    return sum(
        (line.amount for line in JournalLine.objects.filter(account__code=code)), Decimal("0")
    )


def test_the_register_matches_the_shares_in_the_ledger(camille, jerome, sylvie):
    with_shares(camille, sylvie, shares=20)  # 200 $ paid in full
    with_shares(jerome, sylvie, shares=20, paid=Decimal("60.00"))  # 140 $ still owed
    director = board(admitted(factories.MemberFactory()))[0]
    decision = services.board_decision_record(
        date=dt.date(2025, 6, 1),
        kind=DecisionKind.TRANSFER,
        text="Transfert approuvé",
        directors_present=[director],
        acting_user=sylvie,
    )
    services.shares_subscribe(
        member=camille, shares=5, date=dt.date(2025, 6, 1), acting_user=sylvie
    )
    services.shares_pay(
        member=camille,
        amount=Decimal("50.00"),
        date=dt.date(2025, 6, 1),
        method="payroll",
        acting_user=sylvie,
    )
    services.shares_transfer(
        member=camille,
        to=jerome,
        shares=5,
        date=dt.date(2025, 6, 2),
        decision=decision,
        acting_user=sylvie,
    )

    rows = {r.member.pk: r.figures for r in register(user=sylvie)}
    assert rows[camille.pk].held == 20 and rows[camille.pk].owing == 0
    assert rows[jerome.pk].held == 25 and rows[jerome.pk].owing == Decimal("140.00")
    for member, figures in ((camille, rows[camille.pk]), (jerome, rows[jerome.pk])):
        capital, receivable = ledger_share_figures(member)
        assert capital == figures.held * Decimal("10.00")
        assert receivable == figures.owing
    # The whole ledger agrees with the register's totals, and balances.
    assert -_ledger_total(accounts.SHARE_CAPITAL) == Decimal("450.00")
    assert _ledger_total(accounts.SHARES_RECEIVABLE) == Decimal("140.00")
    assert _ledger_total(accounts.SHARE_TRANSFERS) == 0
    assert _ledger_total(accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE) == Decimal("50.00")


def test_a_subscription_below_the_qualifying_shares_is_refused(camille, sylvie):
    coop_activity()
    admitted(camille)
    with pytest.raises(GovernanceError, match="20 qualifying shares"):
        services.shares_subscribe(member=camille, shares=5, date=ADMITTED, acting_user=sylvie)
    assert not ShareMovement.objects.exists()
    assert not JournalLine.objects.exists()


def test_a_payment_above_what_is_owed_is_refused(camille, sylvie):
    with_shares(camille, sylvie, shares=20, paid=Decimal("100.00"))
    with pytest.raises(GovernanceError, match="amount"):
        services.shares_pay(
            member=camille,
            amount=Decimal("100.01"),
            date=ADMITTED,
            method="transfer",
            acting_user=sylvie,
        )
    assert share_figures(camille).owing == Decimal("100.00")


def test_a_redemption_the_bylaws_forbid_is_refused_and_an_allowed_one_posts(
    camille, jerome, sylvie
):
    with_shares(camille, sylvie, shares=20, paid=Decimal("150.00"))
    board(admitted(jerome))
    decision = services.board_decision_record(
        date=dt.date(2026, 1, 10),
        kind=DecisionKind.REDEMPTION,
        text="Rachat des parts",
        directors_present=[jerome],
        acting_user=sylvie,
    )
    with pytest.raises(GovernanceError, match="withdraws"):
        services.shares_redeem(
            member=camille,
            shares=20,
            date=dt.date(2026, 1, 10),
            decision=decision,
            acting_user=sylvie,
        )
    services.resignation_request(
        member=camille, requested_on=dt.date(2026, 1, 5), acting_user=sylvie
    )
    Bylaws.objects.update(redemption_allowed=False)
    with pytest.raises(GovernanceError, match="do not allow"):
        services.shares_redeem(
            member=camille,
            shares=20,
            date=dt.date(2026, 1, 10),
            decision=decision,
            acting_user=sylvie,
        )
    Bylaws.objects.update(redemption_allowed=True)
    services.shares_redeem(
        member=camille, shares=20, date=dt.date(2026, 1, 10), decision=decision, acting_user=sylvie
    )
    f = share_figures(camille)
    assert (f.held, f.owing, f.to_repay) == (0, Decimal("0.00"), Decimal("150.00"))
    services.shares_repay(
        member=camille, amount=Decimal("150.00"), date=dt.date(2026, 1, 12), acting_user=sylvie
    )
    capital, receivable = ledger_share_figures(camille)
    assert (capital, receivable) == (Decimal("0.00"), Decimal("0.00"))
    assert _ledger_total(accounts.SHARES_TO_REPAY) == 0
