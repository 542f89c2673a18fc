"""Ristournes: the allocation sums exactly to the amount voted; ledger entries; slips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maille.governance import services
from maille.governance.exceptions import GovernanceError
from maille.governance.models import Ristourne, RistourneStatus
from maille.governance.ristournes import Share, allocate, ristourne_slips
from maille.governance.selectors import share_figures
from maille.governance.tests.helpers import board, held_meeting, with_shares
from maille.ledger import accounts
from maille.ledger.models import JournalLine

pytestmark = pytest.mark.django_db


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=10_000_000, places=2),
    bases=st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=1_000_000, places=2),
        min_size=1,
        max_size=60,
    ),
)
def test_the_allocation_sums_exactly_to_the_amount_voted(total, bases):
    shares = [Share(f"M{n:06d}", b) for n, b in enumerate(bases)]
    amounts = allocate(total, shares)
    assert sum(amounts, Decimal("0")) == total
    assert all(a >= 0 and a == a.quantize(Decimal("0.01")) for a in amounts)
    exact = [total * s.basis / sum(bases) for s in shares]
    assert all(abs(a - e) < Decimal("0.01") for a, e in zip(amounts, exact, strict=True))


def test_the_cents_left_go_to_the_largest_remainders():
    # 100.00 over three equal bases: 33.33 each, one cent left: to the first by number.
    assert allocate(
        Decimal("100.00"),
        [Share("M2", Decimal(1)), Share("M1", Decimal(1)), Share("M3", Decimal(1))],
    ) == [
        Decimal("33.33"),
        Decimal("33.34"),
        Decimal("33.33"),
    ]
    # 10.00 over 1, 2: 3.333… and 6.666…: the larger remainder (6.66|6) takes the cent.
    assert allocate(Decimal("10.00"), [Share("A", Decimal(1)), Share("B", Decimal(2))]) == [
        Decimal("3.33"),
        Decimal("6.67"),
    ]


def test_simulate_vote_and_pay_in_shares(camille, jerome, sylvie, monkeypatch):
    with_shares(camille, sylvie)
    with_shares(jerome, sylvie)
    monkeypatch.setattr(
        "maille.governance.ristournes.year_bases",
        lambda year, basis: {camille.pk: Decimal("30000.00"), jerome.pk: Decimal("10000.00")},
    )
    with pytest.raises(GovernanceError, match="exceed"):
        services.ristourne_simulate(
            fiscal_year=2025,
            surplus=Decimal("1000.00"),
            reserve=Decimal("600.00"),
            ristournes=Decimal("500.00"),
            basis="salary",
            form="shares",
            acting_user=sylvie,
        )
    allocation = services.ristourne_simulate(
        fiscal_year=2025,
        surplus=Decimal("12000.00"),
        reserve=Decimal("2000.00"),
        ristournes=Decimal("1001.00"),
        basis="salary",
        form="shares",
        acting_user=sylvie,
    )
    amounts = {r.member_id: r.amount for r in allocation.lines.all()}
    assert amounts == {camille.pk: Decimal("750.75"), jerome.pk: Decimal("250.25")}
    with pytest.raises(GovernanceError, match="general meeting that decided"):
        services.ristourne_allocate(
            allocation=allocation, date=dt.date(2026, 5, 20), acting_user=sylvie, meeting=None
        )
    board(jerome)
    meeting = held_meeting(sylvie, jerome, camille)
    services.ristourne_allocate(
        allocation=allocation, date=dt.date(2026, 5, 20), acting_user=sylvie, meeting=meeting
    )
    with pytest.raises(GovernanceError, match="already"):
        services.ristourne_allocate(
            allocation=allocation, date=dt.date(2026, 5, 20), acting_user=sylvie, meeting=meeting
        )
    services.ristourne_pay(allocation=allocation, date=dt.date(2026, 6, 1), acting_user=sylvie)
    allocation.refresh_from_db()
    # The cents left over (0.75 $ and 0.25 $) wait for the next bank file.
    assert allocation.status == RistourneStatus.PAYING
    assert Ristourne.objects.get(member=jerome).cash == Decimal("0.25")
    # 750.75 $ = 75 shares of 10 $ + 0.75 $ in cash; 250.25 $ = 25 shares + 0.25 $.
    assert share_figures(camille).held == 20 + 75 and share_figures(jerome).held == 20 + 25
    assert Ristourne.objects.get(member=camille).shares == 75

    def total(code):
        return sum((x.amount for x in JournalLine.objects.filter(account__code=code)), Decimal("0"))

    assert total(accounts.RISTOURNES_PAYABLE) == Decimal("-1.00")  # the cents, until the file
    assert total(accounts.GENERAL_RESERVE) == Decimal("-2000.00")
    assert total(accounts.UNDISTRIBUTED_SURPLUS) == Decimal("3001.00")
    assert total(accounts.SHARE_CAPITAL) == Decimal("-1400.00")  # 400 subscribed + 1000 in shares
    slips = {s.member: s.amount for s in ristourne_slips(2026)}
    assert slips == {camille: Decimal("750.00"), jerome: Decimal("250.00")}


def test_a_member_cannot_compute_ristournes(camille):
    with pytest.raises(PermissionError):
        services.ristourne_simulate(
            fiscal_year=2025,
            surplus=Decimal("10.00"),
            reserve=Decimal("0.00"),
            ristournes=Decimal("10.00"),
            basis="salary",
            form="cash",
            acting_user=camille.user,
        )
