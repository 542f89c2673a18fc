"""Ristournes: the year's surplus to the reserve and back to the members.

The general meeting allocates the surplus (s. 143): a part to the reserve, a
part to ristournes, shared in proportion to each member's business with the
co-op — for a worker co-op, their work (s. 224.7): the gross salary the co-op
paid them in the fiscal year (posted payslips), or their hours paid. The
fiscal year is the by-laws' (``Bylaws.fiscal_year_end_month``): fiscal year
2026 with a year end in March runs from 1 April 2025 to 31 March 2026.

Rounding (``allocate``, pure): each member first gets their exact share
rounded *down* to the cent; the cents left over (fewer than the number of
members) go one each to the largest remainders, ties to the larger basis,
then to the lower member number. The amounts therefore sum exactly to the
amount voted (largest-remainder method, Hamilton).

The allocation is the assembly's: it is posted only with the meeting that
decided it (held, quorum met) and, when put to a vote, its adopted resolution.

Postings (on ``COOP``): allocation — Undistributed surplus 3900 / General
reserve 3200 and Ristournes payable 2700 per member (memo: member number);
paid in shares — 2700 / Share capital 3000 (whole shares at the by-law
price; the cents left are paid in cash); paid in cash — through the next pay
run's bank file (``RistourneBankCredits``), 2700 / Bank when it is sent.

Tax slips: a ristourne paid to a worker is income: RL-1 box O, code RL, and
the federal T4A box 030 [check] (quebec-operations.md §4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import CENT, ZERO
from maille.governance.exceptions import GovernanceError
from maille.governance.models import (
    Ballot,
    BallotKind,
    Meeting,
    MeetingStatus,
    Membership,
    Ristourne,
    RistourneAllocation,
    RistourneBasis,
    RistourneForm,
    RistourneSlip,
    RistourneStatus,
)
from maille.governance.selectors import bylaws_on, fiscal_year_bounds, is_board_or_staff
from maille.governance.shares import ristourne_in_shares
from maille.governance.voting import ballot_outcome
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import Member
from maille.members.selectors import coop_activities

if TYPE_CHECKING:
    from maille.payroll.bankfile import ExtraCredit
    from maille.payroll.models import BankFile, PayRun


@dataclass(frozen=True)
class Share:
    key: str  # a stable tie-breaker (the member number)
    basis: Decimal


def allocate(total: Decimal, shares: Sequence[Share]) -> list[Decimal]:
    """Split ``total`` in proportion to the bases, summing exactly to ``total``."""
    if total < 0:
        raise ValueError("total must not be negative")
    base = sum((s.basis for s in shares), ZERO)
    if not shares or base <= 0:
        return [ZERO for _s in shares]
    exact = [total * s.basis / base for s in shares]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int(((total - sum(floors, ZERO)) / CENT).to_integral_value())
    order = sorted(
        range(len(shares)),
        key=lambda i: (-(exact[i] - floors[i]), -shares[i].basis, shares[i].key),
    )
    for i in order[:left]:
        floors[i] += CENT
    return floors


def year_bases(year: int, basis: str) -> dict[int, Decimal]:
    """Each member's work in fiscal year ``year`` (``fiscal_year_bounds``: the
    by-laws' year, e.g. 1 April – 31 March): gross salary or hours of the
    payslips posted with a pay date in it."""
    from maille.payroll.models import Payslip, PayslipStatus

    field = "gross" if basis == RistourneBasis.SALARY else "hours"
    start, end = fiscal_year_bounds(year)
    rows = (
        Payslip.objects.filter(pay_date__range=(start, end), status=PayslipStatus.POSTED)
        .values("member_id")
        .annotate(total=Sum(field))
    )
    return {r["member_id"]: Decimal(r["total"]) for r in rows if r["total"]}


def _board(user: User) -> None:
    if not is_board_or_staff(user):
        raise PermissionError(_("Only staff and the board compute ristournes."))


@transaction.atomic
def ristourne_simulate(
    *,
    fiscal_year: int,
    surplus: Decimal,
    reserve: Decimal,
    ristournes: Decimal,
    basis: str,
    form: str,
    acting_user: User,
) -> RistourneAllocation:
    """Compute each member's ristourne (a simulation the board reads before the vote)."""
    _board(acting_user)
    problems = []
    if surplus <= 0:
        problems.append(_("surplus: there is no surplus to allocate."))
    if reserve < 0 or ristournes < 0:
        problems.append(_("reserve: amounts are not negative."))
    if reserve + ristournes > surplus:
        problems.append(_("ristournes: reserve and ristournes exceed the surplus."))
    if any(x != x.quantize(CENT) for x in (surplus, reserve, ristournes)):
        problems.append(_("surplus: amounts in dollars and cents."))
    if basis not in RistourneBasis.values or form not in RistourneForm.values:
        problems.append(_("basis: unknown basis or form of payment."))
    if problems:
        raise GovernanceError(" ".join(problems))
    bases = year_bases(fiscal_year, basis)
    # Members of the register during the fiscal year (admitted before its end).
    year_end = fiscal_year_bounds(fiscal_year)[1]
    eligible = set(
        Membership.objects.filter(admitted_on__lte=year_end).values_list("member_id", flat=True)
    )
    members = {
        m.pk: m for m in Member.objects.filter(pk__in=set(bases) & eligible).order_by("number")
    }
    ordered = sorted(members.values(), key=lambda m: m.number)
    amounts = allocate(ristournes, [Share(m.number, bases[m.pk]) for m in ordered])
    allocation = RistourneAllocation.objects.create(
        fiscal_year=fiscal_year,
        surplus=surplus,
        reserve=reserve,
        ristournes=ristournes,
        basis=basis,
        form=form,
        created_by=acting_user,
    )
    Ristourne.objects.bulk_create(
        [
            Ristourne(allocation=allocation, member=m, basis=bases[m.pk], amount=a)
            for m, a in zip(ordered, amounts, strict=True)
            if a > 0
        ]
    )
    return allocation


def allocation_vote_problems(meeting: Meeting | None, ballot: Ballot | None) -> list[str]:
    """The assembly decides the allocation (s. 143): a meeting held with its
    quorum and, when a resolution was put to the vote, that resolution adopted."""
    problems = []
    if meeting is None:
        problems.append(_("meeting: the general meeting that decided the allocation."))
    elif meeting.status != MeetingStatus.HELD or meeting.quorum_met is not True:
        problems.append(_("meeting: the meeting must be held with its quorum."))
    if ballot is not None:
        if ballot.kind != BallotKind.RESOLUTION or ballot.counted_at is None:
            problems.append(_("ballot: a resolution, counted."))
        elif ballot_outcome(ballot).adopted is not True:
            problems.append(_("ballot: the resolution was not adopted."))
        if meeting is not None and ballot.meeting_id != meeting.pk:
            problems.append(_("ballot: the resolution of that meeting."))
    return problems


@transaction.atomic
def ristourne_allocate(
    *,
    allocation: RistourneAllocation,
    date: dt.date,
    acting_user: User,
    meeting: Meeting | None,
    ballot: Ballot | None = None,
) -> RistourneAllocation:
    """The assembly voted this allocation: post the reserve and each ristourne payable."""
    _board(acting_user)
    # Every simulation of the year, locked in one order before this one is read:
    # two allocations of the same year voted at once queue here, and the second
    # finds the first (the year never changes once simulated).
    year = RistourneAllocation.objects.values_list("fiscal_year", flat=True).get(pk=allocation.pk)
    list(
        RistourneAllocation.objects.select_for_update()
        .filter(fiscal_year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    allocation = RistourneAllocation.objects.get(pk=allocation.pk)
    if allocation.status != RistourneStatus.SIMULATED:
        raise GovernanceError(_("This allocation has already been voted."))
    if (
        RistourneAllocation.objects.filter(fiscal_year=allocation.fiscal_year)
        .exclude(status=RistourneStatus.SIMULATED)
        .exists()
    ):
        raise GovernanceError(_("The surplus of this year has already been allocated."))
    meeting = Meeting.objects.get(pk=meeting.pk) if meeting is not None else None
    ballot = Ballot.objects.get(pk=ballot.pk) if ballot is not None else None
    problems = allocation_vote_problems(meeting, ballot)
    lines = list(allocation.lines.select_related("member"))
    if sum((r.amount for r in lines), ZERO) != allocation.ristournes:
        problems.append(_("The ristournes do not sum to the amount voted."))
    if problems:
        raise GovernanceError(" ".join(problems))
    house = coop_activities()["COOP"]
    specs = [
        LineSpec(accounts.UNDISTRIBUTED_SURPLUS, house, allocation.reserve + allocation.ristournes)
    ]
    if allocation.reserve:
        specs.append(LineSpec(accounts.GENERAL_RESERVE, house, -allocation.reserve))
    specs += [
        LineSpec(accounts.RISTOURNES_PAYABLE, house, -r.amount, memo=r.member.number) for r in lines
    ]
    entry_post(
        date=date,
        description=_("Surplus %(y)s: reserve and ristournes") % {"y": allocation.fiscal_year},
        lines=[s for s in specs if s.amount],
        idempotency_key=f"governance:ristournes:{allocation.pk}:allocate",
        acting_user=acting_user,
        source=allocation,
    )
    allocation.status = RistourneStatus.ALLOCATED
    allocation.allocated_on = date
    allocation.meeting = meeting
    allocation.ballot = ballot
    allocation.save()
    return allocation


def _slip_add(member: Member, year: int, amount: Decimal) -> None:
    slip, _created = RistourneSlip.objects.select_for_update().get_or_create(
        year=year, member=member, defaults={"amount": ZERO}
    )
    slip.amount += amount
    slip.save(update_fields=["amount"])


@transaction.atomic
def ristourne_pay(
    *, allocation: RistourneAllocation, date: dt.date, acting_user: User
) -> RistourneAllocation:
    """Pay the ristournes as the assembly decided.

    In shares: whole shares at the by-law price are issued now; the cents left
    are paid in cash. In cash: each member's amount waits for the next bank
    file (``RistourneBankCredits``, registered with ``payroll.bankfile``),
    which posts Ristournes payable / Bank when the file is sent. The slips'
    amounts (RL-1 box O, T4A box 030) are stored as each part is paid."""
    if not acting_user.is_staff:
        raise PermissionError(_("Only staff pay ristournes."))
    allocation = RistourneAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != RistourneStatus.ALLOCATED:
        raise GovernanceError(_("Only a voted allocation is paid, once."))
    price = bylaws_on(date).share_price
    waiting = False
    for r in allocation.lines.select_related("member"):
        cash = r.amount
        # A member who has withdrawn since the vote holds no more shares: their
        # ristourne is paid in cash (the assembly's decision kept, in its amount).
        still_member = Membership.objects.filter(member=r.member).first()
        in_shares = still_member is not None and still_member.is_member_on(date)
        if allocation.form == RistourneForm.SHARES and in_shares:
            shares = int(r.amount // price)
            if shares:
                ristourne_in_shares(
                    member=r.member,
                    shares=shares,
                    amount=price * shares,
                    date=date,
                    acting_user=acting_user,
                )
                r.shares = shares
                _slip_add(r.member, date.year, price * shares)
            cash = r.amount - price * shares
        r.cash = cash
        if not cash:
            r.paid_on = date
        waiting = waiting or bool(cash)
        r.save(update_fields=["shares", "cash", "paid_on"])
    allocation.status = RistourneStatus.PAYING if waiting else RistourneStatus.PAID
    if not waiting:
        allocation.paid_on = date
    allocation.save()
    return allocation


KEY_PREFIX = "governance:ristourne:"
#: CPA Standard 007 "miscellaneous payments" [check with the bank]
RISTOURNE_TRANSACTION_CODE = "450"


class RistourneBankCredits:
    """Ristournes in cash ride in the next pay run's bank file
    (``payroll.bankfile.bank_file_provider_register``, from the app's ``ready``)."""

    def credits_due(self, *, run: PayRun) -> Sequence[ExtraCredit]:
        from maille.payroll.bankfile import ExtraCredit

        lines = (
            Ristourne.objects.select_for_update(of=("self",))
            .filter(
                allocation__status=RistourneStatus.PAYING,
                cash__gt=0,
                bank_file__isnull=True,
                paid_on__isnull=True,
            )
            .select_related("member__user")
            .order_by("id")
        )
        return [
            ExtraCredit(
                key=f"{KEY_PREFIX}{r.pk}",
                member=r.member,
                amount=r.cash,
                transaction_code=RISTOURNE_TRANSACTION_CODE,
                reference=f"RIST{r.pk}"[:19],
            )
            for r in lines
        ]

    def credits_filed(
        self,
        *,
        bank_file: BankFile,
        filed: Sequence[ExtraCredit],
        left_out: Sequence[tuple[ExtraCredit, str]],
    ) -> None:
        ids = [int(c.key.removeprefix(KEY_PREFIX)) for c in filed]
        Ristourne.objects.filter(pk__in=ids, bank_file__isnull=True).update(bank_file=bank_file)

    def file_sent(self, *, bank_file: BankFile, acting_user: User) -> None:
        lines = list(
            Ristourne.objects.select_for_update(of=("self",))
            .filter(bank_file=bank_file, paid_on__isnull=True)
            .select_related("member", "allocation")
            .order_by("id")
        )
        if not lines:
            return
        day = bank_file.payment_day
        house = coop_activities()["COOP"]
        specs = [
            LineSpec(accounts.RISTOURNES_PAYABLE, house, r.cash, memo=r.member.number)
            for r in lines
        ]
        specs.append(LineSpec(accounts.BANK, house, -sum((r.cash for r in lines), ZERO)))
        entry_post(
            date=day,
            description=_("Bank file %(n)04d: ristournes") % {"n": bank_file.creation_number},
            lines=specs,
            idempotency_key=f"governance:ristournes:bankfile:{bank_file.pk}",
            acting_user=acting_user,
            source=bank_file,
        )
        for r in lines:
            r.paid_on = day
            r.save(update_fields=["paid_on"])
            _slip_add(r.member, day.year, r.cash)
        for allocation_id in {r.allocation_id for r in lines}:
            if not Ristourne.objects.filter(
                allocation_id=allocation_id, paid_on__isnull=True
            ).exists():
                RistourneAllocation.objects.filter(pk=allocation_id).update(
                    status=RistourneStatus.PAID, paid_on=day
                )


@dataclass(frozen=True)
class SlipLine:
    member: Member
    amount: Decimal  # RL-1 box O (code RL); T4A box 030


def ristourne_slips(year: int) -> list[SlipLine]:
    """What the year's slips need: ristournes paid in the calendar year, per member
    (stored as each part is paid)."""
    return [
        SlipLine(s.member, s.amount)
        for s in RistourneSlip.objects.filter(year=year).select_related("member")
    ]
