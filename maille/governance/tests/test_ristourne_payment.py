"""The assembly's decision on the ristournes, then their payment: in cash
through the pay run's bank file, with the ledger entries and the slips'
amounts (RL-1 box O code RL, T4A box 030) stored per member and year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.governance import services
from maille.governance.exceptions import GovernanceError
from maille.governance.models import Ristourne, RistourneSlip, RistourneStatus
from maille.governance.tests.helpers import board, held_meeting, with_shares
from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.payroll.bankfile import bank_file_create, bank_file_mark_sent
from maille.payroll.tests.helpers import calendar

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def _simulated(sylvie, camille, jerome, monkeypatch, form="cash"):
    monkeypatch.setattr(
        "maille.governance.ristournes.year_bases",
        lambda year, basis: {camille.pk: Decimal("2.00"), jerome.pk: Decimal("1.00")},
    )
    return services.ristourne_simulate(
        fiscal_year=2025,
        surplus=Decimal("500.00"),
        reserve=Decimal("200.00"),
        ristournes=Decimal("100.00"),
        basis="salary",
        form=form,
        acting_user=sylvie,
    )


def _posted_run(staff):
    from maille.payroll import services as payroll

    run = payroll.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=staff)
    payroll.payrun_approve(run=run, acting_user=staff)
    return payroll.payrun_post(run=run, acting_user=staff)


def test_only_an_adopted_resolution_of_a_held_meeting_allocates(
    camille, jerome, sylvie, monkeypatch
):
    with_shares(camille, sylvie)
    board(with_shares(jerome, sylvie))
    allocation = _simulated(sylvie, camille, jerome, monkeypatch)
    meeting = held_meeting(sylvie, jerome, camille)
    now = dt.datetime(2026, 5, 20, 22, tzinfo=dt.UTC)
    ballot = services.ballot_create(
        question="Affecter l'excédent 2025 : 200 $ à la réserve, 100 $ en ristournes",
        kind="resolution",
        record_date=dt.date(2026, 5, 20),
        opens_at=now,
        closes_at=now + dt.timedelta(minutes=30),
        meeting=meeting,
        acting_user=sylvie,
    )
    against = ballot.options.all()[1].pk
    for m in (camille, jerome):
        services.vote_cast(
            ballot=ballot, choices=[against], acting_user=m.user, now=now + dt.timedelta(minutes=1)
        )
    services.ballot_count(ballot=ballot, acting_user=sylvie, now=now + dt.timedelta(hours=1))
    with pytest.raises(GovernanceError, match="not adopted"):
        services.ristourne_allocate(
            allocation=allocation,
            date=dt.date(2026, 5, 20),
            meeting=meeting,
            ballot=ballot,
            acting_user=sylvie,
        )
    allocation.refresh_from_db()
    assert allocation.status == RistourneStatus.SIMULATED
    assert balance(account=accounts.GENERAL_RESERVE) == 0


def test_ristournes_in_cash_go_through_the_bank_file(
    camille, jerome, sylvie, monkeypatch, as_sylvie, as_camille
):
    calendar()
    for m in (camille, jerome):
        m.bank_account = "815-30001-1234567"
        m.save()
    with_shares(camille, sylvie)
    board(with_shares(jerome, sylvie))
    allocation = _simulated(sylvie, camille, jerome, monkeypatch)
    meeting = held_meeting(sylvie, jerome, camille)
    # The API: a member is not shown the door; staff post the assembly's decision.
    body = {"date": "2026-05-20", "meeting_id": meeting.pk}
    url = f"{API}/ristournes/{allocation.pk}/allocate"
    assert as_camille.post(url, body, content_type="application/json").status_code == 404
    done = as_sylvie.post(url, body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "allocated"
    paid = as_sylvie.post(
        f"{API}/ristournes/{allocation.pk}/pay",
        {"date": "2026-06-01"},
        content_type="application/json",
    )
    assert paid.json()["status"] == "paying"
    assert balance(account=accounts.RISTOURNES_PAYABLE) == Decimal("-100.00")
    with time_machine.travel(dt.datetime(2026, 6, 2, 12, tzinfo=dt.UTC), tick=False):
        run = _posted_run(sylvie)
        file = bank_file_create(run=run, acting_user=sylvie)
        assert file.total == Decimal("100.00") and file.count == 2
        assert set(Ristourne.objects.values_list("bank_file", flat=True)) == {file.pk}
        bank_file_mark_sent(bank_file=file, acting_user=sylvie)
    allocation.refresh_from_db()
    assert allocation.status == RistourneStatus.PAID
    assert balance(account=accounts.RISTOURNES_PAYABLE) == 0
    slips = {
        s.member_id: (s.amount, s.rl1_box, s.rl1_code, s.t4a_box)
        for s in RistourneSlip.objects.all()
    }
    assert slips == {
        camille.pk: (Decimal("66.67"), "O", "RL", "030"),
        jerome.pk: (Decimal("33.33"), "O", "RL", "030"),
    }
    listed = as_sylvie.get(f"{API}/ristourne-slips/2026").json()
    assert [(r["number"], r["amount"]) for r in listed] == sorted(
        [(camille.number, "66.67"), (jerome.number, "33.33")]
    )
    assert as_camille.get(f"{API}/ristourne-slips/2026").status_code == 404


def test_a_member_withdrawn_since_the_vote_gets_cash_not_shares(
    camille, jerome, sylvie, monkeypatch
):
    """Ristournes voted in shares: a member withdrawn since is paid in cash."""
    from maille.governance.models import Membership

    with_shares(camille, sylvie)
    board(with_shares(jerome, sylvie))
    allocation = _simulated(sylvie, camille, jerome, monkeypatch, form="shares")
    type(allocation).objects.filter(pk=allocation.pk).update(status=RistourneStatus.ALLOCATED)
    Membership.objects.filter(member=jerome).update(withdrawn_on=dt.date(2026, 5, 1))
    services.ristourne_pay(allocation=allocation, date=dt.date(2026, 6, 1), acting_user=sylvie)
    lines = {r.member_id: r for r in allocation.lines.all()}
    assert lines[jerome.pk].shares == 0 and lines[jerome.pk].cash == lines[jerome.pk].amount
    assert lines[camille.pk].shares > 0
