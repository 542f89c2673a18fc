"""Members' shares: subscriptions, payments, transfers, redemptions, repayments.

Each movement is a ``ShareMovement`` row and one journal entry whose source is
that row, on the co-op's own activity ``COOP`` (share capital is the co-op's
equity; the member is the entry's source). The register and the ledger are
therefore the same facts read two ways, and a test checks they agree.

Postings (accounts in ``ledger.accounts``):

| movement | debit | credit |
|---|---|---|
| subscription (n × price) | Share subscriptions receivable 1350 | Share capital 3000 |
| payment by transfer | Bank | 1350 |
| payment deducted from pay | Other payroll deductions payable 2230 [1] | 1350 |
| transfer out / in (paid shares) | 3000 / Share transfers 2720 | 2720 / 3000 |
| redemption | 3000 (n × price) | Redeemed shares to repay 2710 (paid part); 1350 (unpaid part) |
| repayment | 2710 | Bank |
| ristourne paid in shares | Ristournes payable 2700 | 3000 |

[1] on the payslip's activity when a pay run withheld it (the payslip's entry
credited 2230 there); on ``COOP`` when recorded by hand.

Every service locks the member's row first, so two movements of one member
queue and each sees the other's figures.

Instalments deducted from pay: governance asks payroll to withhold them
(``instalments.ShareInstalments``, a ``payroll.deductions`` provider); the
payslip's entry credits 2230 on the member's activity; once the payslip is
posted, ``shares_paid_by_payroll`` records the payment (keyed on the payslip)
and clears 2230 on that activity; a reversed payslip undoes it
(``shares_payment_undo``), so the instalment is owed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from maille.core.dates import near_today_problem
from maille.core.models import User
from maille.core.money import ZERO
from maille.governance.exceptions import GovernanceError
from maille.governance.models import (
    BoardDecision,
    Membership,
    MovementKind,
    PaymentMethod,
    ShareMovement,
)
from maille.governance.selectors import (
    bylaws_on,
    dated_act_problems,
    share_figures,
    share_figures_all,
)
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many, entry_post
from maille.members.models import Activity, Member
from maille.members.selectors import coop_activities


def _lock(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def _membership(member: Member) -> Membership:
    membership = Membership.objects.filter(member=member).first()
    if membership is None:
        raise GovernanceError(_("%(m)s has not been admitted.") % {"m": member})
    return membership


#: An entry's line: (account, amount) on ``COOP``, or (account, amount, activity).
Line = tuple[str, Decimal] | tuple[str, Decimal, Activity]


def _spec(
    movement: ShareMovement, description: str, lines: list[Line], house: Activity
) -> EntrySpec:
    return EntrySpec(
        date=movement.date,
        description=f"{description} — {movement.member.number}"[:300],
        lines=[
            LineSpec(
                account=line[0],
                activity=line[2] if len(line) == 3 else house,
                amount=line[1],
                memo=movement.member.number,
            )
            for line in lines
            if line[1]
        ],
        idempotency_key=f"governance:shares:{movement.pk}",
        source=movement,
    )


def _post(movement: ShareMovement, description: str, lines: list[Line], user: User | None) -> None:
    spec = _spec(movement, description, lines, coop_activities()["COOP"])
    entry = entry_post(
        date=spec.date,
        description=spec.description,
        lines=spec.lines,
        idempotency_key=spec.idempotency_key,
        acting_user=user,
        source=movement,
    )
    movement.entry = entry
    movement.save(update_fields=["entry"])


def _new(
    member: Member, kind: str, date: dt.date, user: User | None, **fields: object
) -> ShareMovement:
    return ShareMovement.objects.create(
        member=member, kind=kind, date=date, recorded_by=user, **fields
    )


@transaction.atomic
def shares_subscribe(
    *, member: Member, shares: int, date: dt.date, acting_user: User | None, method: str = ""
) -> ShareMovement:
    """Subscribe shares; the first subscription must reach the qualifying shares (s. 40)."""
    member = _lock(member)
    membership = _membership(member)
    bylaws = bylaws_on(date)
    problems = []
    if shares < 1:
        problems.append(_("shares: subscribe at least one share."))
    figures = share_figures(member)
    qualifying = bylaws.qualifying_shares(membership.category)
    if figures.held + shares < qualifying:
        problems.append(
            _("shares: the by-laws require %(q)s qualifying shares; %(n)s would be held.")
            % {"q": qualifying, "n": figures.held + max(shares, 0)}
        )
    if method == PaymentMethod.PAYROLL and not bylaws.instalments_by_payroll:
        problems.append(_("method: the by-laws do not allow instalments deducted from pay."))
    if method == PaymentMethod.TRANSFER and not bylaws.instalments_by_transfer:
        problems.append(_("method: the by-laws do not allow instalments paid by transfer."))
    if membership.withdrawn_on is not None:
        problems.append(_("This member has withdrawn."))
    problems += dated_act_problems(
        field="date", date=date, membership=membership, acting_user=acting_user
    )
    if problems:
        raise GovernanceError(" ".join(problems))
    amount = bylaws.share_price * shares
    movement = _new(
        member,
        MovementKind.SUBSCRIPTION,
        date,
        acting_user,
        shares=shares,
        amount=amount,
        method=method,
    )
    _post(
        movement,
        _("Shares subscribed"),
        [(accounts.SHARES_RECEIVABLE, amount), (accounts.SHARE_CAPITAL, -amount)],
        acting_user,
    )
    return movement


@transaction.atomic
def shares_pay(
    *,
    member: Member,
    amount: Decimal,
    date: dt.date,
    method: str,
    acting_user: User | None,
    bank_account_code: str = accounts.BANK,
    note: str = "",
) -> ShareMovement:
    """A payment on shares subscribed (a transfer, a cheque, or a pay deduction)."""
    member = _lock(member)
    _membership(member)
    if method not in PaymentMethod.values:
        raise GovernanceError(_("method: unknown payment method."))
    if amount <= 0:
        raise GovernanceError(_("amount: a payment is more than zero."))
    owing = share_figures(member).owing
    if amount > owing:
        raise GovernanceError(
            _("amount: %(a)s is more than the %(o)s still owed on shares.")
            % {"a": amount, "o": owing}
        )
    movement = _new(
        member, MovementKind.PAYMENT, date, acting_user, amount=amount, method=method, note=note
    )
    debit = (
        accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE
        if method == PaymentMethod.PAYROLL
        else bank_account_code
    )
    _post(
        movement,
        _("Payment on shares"),
        [(debit, amount), (accounts.SHARES_RECEIVABLE, -amount)],
        acting_user,
    )
    return movement


@dataclass(frozen=True)
class PayrollPayment:
    """An instalment withheld from a posted payslip (``payroll.deductions``)."""

    member_id: int
    payslip_id: int
    activity: Activity  #: the payslip's activity, where its entry credited 2230
    date: dt.date
    amount: Decimal


@transaction.atomic
def shares_paid_by_payroll(
    *, payments: Sequence[PayrollPayment], acting_user: User | None
) -> list[ShareMovement]:
    """Instalments withheld from pay become payments on shares, for a whole
    chunk of a pay run at once (a bounded number of queries for any number).

    Keyed on the payslip: one already recorded is skipped, and the database
    refuses a second payment for a payslip. Posted like ``shares_pay`` with
    method ``payroll``: Other payroll deductions payable 2230 — on the
    payslip's activity, which its entry credited — / Share subscriptions
    receivable 1350 on ``COOP``. A payment more than owed (a transfer recorded
    between the run's computation and its posting) refuses the whole chunk,
    which the next attempt computes again."""
    if not payments:
        return []
    ids = sorted({p.member_id for p in payments})
    members = {
        m.pk: m for m in Member.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    done = set(
        ShareMovement.objects.filter(
            kind=MovementKind.PAYMENT, payslip_id__in=[p.payslip_id for p in payments]
        ).values_list("payslip_id", flat=True)
    )
    todo = [p for p in payments if p.payslip_id not in done]
    if not todo:
        return []
    owing = {k: f.owing for k, f in share_figures_all(member_ids=ids).items()}
    problems = []
    for p in todo:
        left = owing.get(p.member_id, ZERO)
        if p.amount <= 0 or p.amount > left:
            problems.append(
                _("amount: %(a)s is more than the %(o)s still owed on shares.")
                % {"a": p.amount, "o": left}
            )
        owing[p.member_id] = left - p.amount
    if problems:
        raise GovernanceError(" ".join(problems))
    movements = ShareMovement.objects.bulk_create(
        [
            ShareMovement(
                member=members[p.member_id],
                kind=MovementKind.PAYMENT,
                date=p.date,
                amount=p.amount,
                method=PaymentMethod.PAYROLL,
                payslip_id=p.payslip_id,
                recorded_by=acting_user,
            )
            for p in todo
        ]
    )
    house = coop_activities()["COOP"]
    entries = entries_post_many(
        entries=[
            _spec(
                m,
                _("Payment on shares"),
                [
                    (accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE, p.amount, p.activity),
                    (accounts.SHARES_RECEIVABLE, -p.amount),
                ],
                house,
            )
            for m, p in zip(movements, todo, strict=True)
        ],
        acting_user=acting_user,
        savepoint=False,
    )
    for m, entry in zip(movements, entries, strict=True):
        m.entry = entry
    ShareMovement.objects.bulk_update(movements, ["entry"])
    return movements


@transaction.atomic
def shares_payment_undo(
    *, payment: ShareMovement, date: dt.date, reason: str, acting_user: User
) -> ShareMovement:
    """Undo a payment on shares (a bank line matched to it was unmatched): a
    movement of its own, posted as the payment's mirror."""
    member = _lock(payment.member)
    payment = ShareMovement.objects.select_related("entry").get(pk=payment.pk)
    if payment.kind != MovementKind.PAYMENT or payment.entry is None:
        raise GovernanceError(_("Only a payment on shares is undone."))
    if ShareMovement.objects.filter(
        kind=MovementKind.PAYMENT_UNDONE, counterpart_movement=payment
    ).exists():
        raise GovernanceError(_("This payment has already been undone."))
    if not reason.strip():
        raise GovernanceError(_("reason: say why the payment is undone."))
    debit = payment.entry.lines.filter(amount__gt=0).select_related("account", "activity").get()
    movement = _new(
        member,
        MovementKind.PAYMENT_UNDONE,
        max(date, payment.date),
        acting_user,
        amount=payment.amount,
        method=payment.method,
        note=reason[:300],
        counterpart_movement=payment,
    )
    _post(
        movement,
        _("Payment on shares undone"),
        [
            (accounts.SHARES_RECEIVABLE, payment.amount),
            (debit.account.code, -payment.amount, debit.activity),
        ],
        acting_user,
    )
    return movement


@transaction.atomic
def shares_transfer(
    *,
    member: Member,
    to: Member,
    shares: int,
    date: dt.date,
    decision: BoardDecision,
    acting_user: User,
) -> tuple[ShareMovement, ShareMovement]:
    """Transfer paid shares to another member, with the board's approval (s. 41)."""
    for locked in sorted([member, to], key=lambda m: m.pk):
        _lock(locked)
    if member.pk == to.pk:
        raise GovernanceError(_("to: a member cannot transfer shares to themselves."))
    recipient = _membership(to)
    if not recipient.is_member_on(date):
        # Enforced here, not only in the form: the API and any caller go through it.
        raise GovernanceError(_("to: %(m)s is not a member on that date.") % {"m": to})
    bylaws = bylaws_on(date)
    figures = share_figures(member)
    membership = _membership(member)
    if shares < 1 or shares > figures.held:
        raise GovernanceError(
            _("shares: %(n)s held, cannot transfer %(s)s.") % {"n": figures.held, "s": shares}
        )
    if figures.owing > 0:
        raise GovernanceError(_("shares: only fully paid shares are transferred."))
    left = figures.held - shares
    if membership.withdrawn_on is None and 0 < left < bylaws.qualifying_shares(membership.category):
        raise GovernanceError(_("shares: the member would hold fewer than the qualifying shares."))
    amount = bylaws.share_price * shares
    out = _new(
        member,
        MovementKind.TRANSFER_OUT,
        date,
        acting_user,
        shares=shares,
        amount=amount,
        counterpart=to,
        decision=decision,
    )
    _post(
        out,
        _("Shares transferred"),
        [(accounts.SHARE_CAPITAL, amount), (accounts.SHARE_TRANSFERS, -amount)],
        acting_user,
    )
    into = _new(
        to,
        MovementKind.TRANSFER_IN,
        date,
        acting_user,
        shares=shares,
        amount=amount,
        counterpart=member,
        decision=decision,
    )
    _post(
        into,
        _("Shares received by transfer"),
        [(accounts.SHARE_TRANSFERS, amount), (accounts.SHARE_CAPITAL, -amount)],
        acting_user,
    )
    return out, into


@transaction.atomic
def shares_redeem(
    *, member: Member, shares: int, date: dt.date, decision: BoardDecision, acting_user: User
) -> ShareMovement:
    """Redeem shares on withdrawal, as the by-laws allow, with the board's approval (s. 38).

    The paid part becomes owed to the member (repaid by ``shares_repay``); the
    unpaid part of the shares is cancelled."""
    member = _lock(member)
    membership = _membership(member)
    bylaws = bylaws_on(date)
    figures = share_figures(member)
    problems = []
    if not bylaws.redemption_allowed:
        problems.append(_("The by-laws do not allow redeeming shares."))
    if membership.withdrawn_on is None and membership.withdrawal_requested_on is None:
        problems.append(_("Shares are redeemed only when the member withdraws."))
    years = (date - membership.admitted_on).days // 365
    if years < bylaws.redemption_min_years:
        problems.append(
            _("The by-laws allow a redemption after %(n)s years of membership.")
            % {"n": bylaws.redemption_min_years}
        )
    if shares < 1 or shares > figures.held:
        problems.append(
            _("shares: %(n)s held, cannot redeem %(s)s.") % {"n": figures.held, "s": shares}
        )
    if problems:
        raise GovernanceError(" ".join(problems))
    value = bylaws.share_price * shares
    # Unpaid amounts are cancelled first on the shares redeemed.
    unpaid = min(figures.owing, value)
    paid_part = value - unpaid
    movement = _new(
        member,
        MovementKind.REDEMPTION,
        date,
        acting_user,
        shares=shares,
        amount=paid_part,
        unpaid_cancelled=unpaid,
        decision=decision,
    )
    _post(
        movement,
        _("Shares redeemed"),
        [
            (accounts.SHARE_CAPITAL, value),
            (accounts.SHARES_TO_REPAY, -paid_part),
            (accounts.SHARES_RECEIVABLE, -unpaid),
        ],
        acting_user,
    )
    return movement


@transaction.atomic
def shares_repay(
    *,
    member: Member,
    amount: Decimal,
    date: dt.date,
    acting_user: User,
    bank_account_code: str = accounts.BANK,
) -> ShareMovement:
    """Pay the member what the co-op owes on shares redeemed (staff only: money leaves the bank)."""
    if not acting_user.is_staff:
        raise PermissionError(_("Only staff record a repayment of shares."))
    if problem := near_today_problem(date):
        raise GovernanceError(_("date: %(problem)s") % {"problem": problem})
    member = _lock(member)
    to_repay = share_figures(member).to_repay
    if amount <= ZERO or amount > to_repay:
        raise GovernanceError(
            _("amount: %(o)s is owed to the member on redeemed shares.") % {"o": to_repay}
        )
    movement = _new(
        member,
        MovementKind.REPAYMENT,
        date,
        acting_user,
        amount=amount,
        method=PaymentMethod.TRANSFER,
    )
    _post(
        movement,
        _("Redeemed shares repaid"),
        [(accounts.SHARES_TO_REPAY, amount), (bank_account_code, -amount)],
        acting_user,
    )
    return movement


def ristourne_in_shares(
    *, member: Member, shares: int, amount: Decimal, date: dt.date, acting_user: User | None
) -> ShareMovement:
    """Shares issued, fully paid, for a ristourne (called inside the ristourne's transaction)."""
    movement = _new(member, MovementKind.RISTOURNE, date, acting_user, shares=shares, amount=amount)
    _post(
        movement,
        _("Ristourne paid in shares"),
        [(accounts.RISTOURNES_PAYABLE, amount), (accounts.SHARE_CAPITAL, -amount)],
        acting_user,
    )
    return movement
