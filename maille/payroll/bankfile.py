"""The bank file of a posted run, sending it, and deposits the bank returns.

The file is made once per run: its creation number comes from a counter
(never reused, even if the file is made again after a crash: the row is
unique per run and made in the same transaction as the number), and its
content is stored, so the same run always gives the identical file.
Members without a valid bank account (none, malformed, or one the bank
returned a deposit to) are listed on the file and on their payslip, not
silently dropped.

Ledger: sending the file moves each net pay from *net pay payable* on the
member's activity to the co-op's bank; a returned deposit moves it back and
flags the member's bank account.

A net still owed (left out of its run's file, or returned) is paid later,
once: the next run's file carries it when the member's account is valid
again (``carried_in``, posted with that file's deposits), or staff record it
paid another way (``net_pay_paid_otherwise``: a cheque). Never both, never
in two files.

Apps above payroll (expenses: members' reimbursements, suppliers' payments)
add their own credits to the next file through
``bank_file_provider_register`` (called from their ``AppConfig.ready``):
payroll never imports them. A provider says which credits are due, is told
which went in the file (same transaction as the file), and posts its own
ledger entry when the file is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO
from maille.core.sequences import counter_next
from maille.core.validators import clean_bank_account
from maille.ledger import accounts
from maille.ledger.exceptions import PostingError
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, Activity, Member
from maille.payments.models import Refund
from maille.payments.selectors import refunds_pending_transfer
from maille.payments.services import refunds_mark_in_file
from maille.payroll.cpa005 import (
    RETURN_REASONS,
    Credit,
    Originator,
    credit_file,
    parse_returns,
)
from maille.payroll.exceptions import PayrollError, RunConflict
from maille.payroll.models import (
    BankFile,
    EmploymentRecord,
    PayrollOperationsSettings,
    PayRun,
    Payslip,
    PayslipStatus,
    RunStatus,
)

CREATION_COUNTER = "cpa005_file_creation"
#: The originator cross-reference of each deposit: this prefix and the payslip's id.
REFERENCE_PREFIX = "MAILLE"
REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}(\d{{1,12}})$")
CLIENT_REFUND = "450"  #: CPA Standard 007 "miscellaneous payments": a client's credit refunded
MAX_CREATION_NUMBER = 9999


@dataclass(frozen=True, slots=True)
class ExtraCredit:
    """A credit an app above payroll adds to the next bank file.

    Paid to a member (their bank account on file), or, with ``member`` None,
    to someone else named by ``payee_name`` and ``payee_account`` (a
    supplier of the co-op)."""

    key: str  #: the provider's own id for this payment, e.g. ``expenses:claim:12``
    member: Member | None
    amount: Decimal
    transaction_code: str  #: CPA Standard 007 code, e.g. 452 (expense payment)
    reference: str  #: unique per payment, at most 19 characters
    payee_name: str = ""  #: when ``member`` is None
    payee_account: str = ""  #: ``institution-transit-account``, when ``member`` is None


class BankFileProvider(Protocol):
    def credits_due(self, *, run: PayRun) -> Sequence[ExtraCredit]:
        """Credits waiting for a file (locked by the provider until commit)."""
        ...

    def credits_filed(
        self,
        *,
        bank_file: BankFile,
        filed: Sequence[ExtraCredit],
        left_out: Sequence[tuple[ExtraCredit, str]],
    ) -> None:
        """Which credits went in ``bank_file``, which were left out and why."""
        ...

    def file_sent(self, *, bank_file: BankFile, acting_user: User) -> None:
        """The file was sent to the bank: post the payments it carried."""
        ...


_providers: dict[str, BankFileProvider] = {}


def bank_file_provider_register(name: str, provider: BankFileProvider) -> None:
    """Let an app above payroll add credits to the bank files (idempotent by name)."""
    _providers[name] = provider


def bank_problem(member: Member, returned: set[int]) -> str:
    """Why a pay to this member cannot go in the bank file, or ''."""
    account = member.bank_account
    if not account:
        return str(_("no bank account on file"))
    try:
        clean_bank_account(account)
    except ValidationError:
        return str(_("the bank account on file is not valid"))
    if member.pk in returned:
        return str(_("the bank returned the last deposit to this account"))
    return ""


def _payee(extra: ExtraCredit, returned: set[int]) -> tuple[str, str, str]:
    """(why it cannot be paid or '', the account, the payee's name) of an extra credit."""
    if extra.member is not None:
        problem = bank_problem(extra.member, returned)
        account = "" if problem else clean_bank_account(extra.member.bank_account)
        return problem, account, extra.member.full_name
    if not extra.payee_account:
        return str(_("no bank account on file")), "", extra.payee_name
    try:
        return "", clean_bank_account(extra.payee_account), extra.payee_name
    except ValidationError:
        return str(_("the bank account on file is not valid")), "", extra.payee_name


def _originator(run: PayRun) -> Originator:
    settings = PayrollOperationsSettings.in_force(run.pay_date)
    if settings is None or not settings.originator_id:
        raise PayrollError([_("The co-op's bank originator settings are missing.")])
    return Originator(
        id=settings.originator_id,
        short_name=settings.originator_short_name,
        long_name=settings.originator_long_name,
        data_centre=settings.data_centre,
        return_account=settings.return_account,
    )


@dataclass(frozen=True, slots=True)
class NetPay:
    """A net pay for the bank file: a posted payslip's, or one a dry run computed."""

    member: Member
    net: Decimal
    reference: str = ""
    payslip_id: int | None = None


def _net_pay(payslip: Payslip) -> NetPay:
    return NetPay(payslip.member, payslip.net, f"{REFERENCE_PREFIX}{payslip.pk}", payslip.pk)


def nets_owed() -> QuerySet[Payslip]:
    """Posted payslips whose net was left out of their run's file or returned by
    the bank, and not paid since (by a later file or another way)."""
    return Payslip.objects.filter(
        ~Q(bank_excluded="") | Q(returned_at__isnull=False),
        status=PayslipStatus.POSTED,
        net__gt=0,
        carried_in__isnull=True,
        paid_otherwise_on__isnull=True,
    )


@dataclass(frozen=True, slots=True)
class NetOwed:
    """A net still owed: why it was not paid, and why the next file cannot carry it ('')."""

    payslip: Payslip
    reason: str
    problem_now: str


def nets_owed_list(*, limit: int | None = 200) -> list[NetOwed]:
    """The nets still owed, oldest first, each with its reason and whether the
    next bank file will carry it (``problem_now`` empty)."""
    qs = nets_owed().select_related("member", "run").order_by("pay_date", "id")
    payslips = list(qs[:limit] if limit is not None else qs)
    returned = set(
        EmploymentRecord.objects.filter(
            member_id__in=[p.member_id for p in payslips], bank_account_returned=True
        ).values_list("member_id", flat=True)
    )
    return [
        NetOwed(
            payslip=p,
            reason=(str(_("the bank returned the deposit")) if p.returned_at else p.bank_excluded),
            problem_now=bank_problem(p.member, returned),
        )
        for p in payslips
    ]


@dataclass(slots=True)
class BankCredits:
    """Everything a run's bank file carries, and what it leaves out and why."""

    credits: list[Credit]
    excluded: list[dict[str, object]]
    pays_left_out: list[tuple[NetPay, str]]
    filed: dict[str, tuple[list[ExtraCredit], list[tuple[ExtraCredit, str]]]]
    refunds: list[Refund]
    #: Nets still owed from earlier runs that this file pays (account valid again).
    carried: list[NetPay] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.credits), ZERO)


def bank_credits(*, run: PayRun, pays: Sequence[NetPay]) -> BankCredits:
    """The credits of a run's bank file: the net pays, the credits of the apps
    above payroll (expenses, suppliers) and the client refunds by transfer.

    The one computation behind the file (``bank_file_create``) and the figure
    a dry run prints (``bank_file_total``), so the two never disagree. Call it
    inside a transaction: providers lock the credits they list until commit.
    """
    due = {name: list(p.credits_due(run=run)) for name, p in _providers.items()}
    # Locked until commit: a cheque or another run's file waits, then sees it paid.
    owed = [
        _net_pay(p)
        for p in nets_owed()
        .exclude(run_id=run.pk)
        .select_related("member")
        .select_for_update(of=("self",))
        .order_by("id")
    ]
    member_ids = [p.member.pk for p in [*pays, *owed]] + [
        c.member.pk for extras in due.values() for c in extras if c.member is not None
    ]
    returned = set(
        EmploymentRecord.objects.filter(
            member_id__in=member_ids, bank_account_returned=True
        ).values_list("member_id", flat=True)
    )
    out = BankCredits(credits=[], excluded=[], pays_left_out=[], filed={}, refunds=[])
    for pay in pays:
        problem = bank_problem(pay.member, returned)
        if problem:
            out.excluded.append(
                {
                    "payslip": pay.payslip_id,
                    "member": pay.member.number,
                    "name": pay.member.full_name,
                    "net": str(pay.net),
                    "reason": problem,
                }
            )
            out.pays_left_out.append((pay, problem))
            continue
        out.credits.append(
            Credit(
                amount=pay.net,
                account=clean_bank_account(pay.member.bank_account),
                payee_name=pay.member.full_name,
                reference=pay.reference,
            )
        )
    for pay in owed:  # still without a valid account: stays owed, listed on the run page
        if not bank_problem(pay.member, returned):
            out.carried.append(pay)
            out.credits.append(
                Credit(
                    amount=pay.net,
                    account=clean_bank_account(pay.member.bank_account),
                    payee_name=pay.member.full_name,
                    reference=pay.reference,
                )
            )
    for name, extras in due.items():
        out.filed[name] = ([], [])
        for extra in extras:
            problem, account, payee = _payee(extra, returned)
            if problem:
                out.excluded.append(
                    {
                        "credit": extra.key,
                        "member": extra.member.number if extra.member is not None else "",
                        "name": payee,
                        "net": str(extra.amount),
                        "reason": problem,
                    }
                )
                out.filed[name][1].append((extra, problem))
                continue
            out.filed[name][0].append(extra)
            out.credits.append(
                Credit(
                    amount=extra.amount,
                    account=account,
                    payee_name=payee,
                    reference=extra.reference,
                    transaction_code=extra.transaction_code,
                )
            )
    # Refunds of client credit by transfer ride in the co-op's next file
    # (payments sits below payroll: read directly; their entry was posted
    # when the refund was recorded).
    out.refunds = refunds_pending_transfer()
    out.credits += [
        Credit(r.amount, r.payee_account, r.payee_name, f"MAILLEREF{r.pk}", CLIENT_REFUND)
        for r in out.refunds
    ]
    return out


@transaction.atomic
def bank_file_create(*, run: PayRun, acting_user: User | None) -> BankFile:
    """The run's CPA-005 file, made once; asking again returns the same file."""
    run = PayRun.objects.select_for_update().get(pk=run.pk)
    existing = BankFile.objects.filter(run=run).first()
    if existing is not None:
        return existing
    if run.status != RunStatus.POSTED:
        raise PayrollError([_("Post the pay run before making its bank file.")])
    originator = _originator(run)
    payslips = {
        p.pk: p
        for p in Payslip.objects.filter(run=run, status=PayslipStatus.POSTED, net__gt=0)
        .select_related("member__user")
        .order_by("id")
    }
    planned = bank_credits(run=run, pays=[_net_pay(p) for p in payslips.values()])
    credits, excluded, filed, refunds = (
        planned.credits,
        planned.excluded,
        planned.filed,
        planned.refunds,
    )
    left_out = []
    for pay, problem in planned.pays_left_out:
        payslip = payslips[pay.payslip_id or 0]
        payslip.bank_excluded = problem[:200]
        left_out.append(payslip)
    Payslip.objects.bulk_update(left_out, ["bank_excluded"])
    number = counter_next(CREATION_COUNTER)
    if number > MAX_CREATION_NUMBER:
        raise PayrollError(
            [_("The file creation numbers are used up: ask the bank for a new originator ID.")]
        )
    refunds_mark_in_file(refund_ids=[r.pk for r in refunds], file_number=number)
    today = timezone.localdate()
    content = credit_file(
        originator=originator,
        creation_number=number,
        created_on=today,
        due=run.pay_date,
        credits=credits,
    )
    bank_file = BankFile.objects.create(
        run=run,
        creation_number=number,
        created_on=today,
        content=content,
        count=len(credits),
        total=sum((c.amount for c in credits), ZERO),
        excluded=excluded,
    )
    carried = [p.payslip_id for p in planned.carried if p.payslip_id is not None]
    if carried:
        marked = nets_owed().filter(pk__in=carried).update(carried_in=bank_file)
        if marked != len(carried):  # the rows are locked: only a bug gets here
            raise RunConflict([_("A net pay owed was paid meanwhile: make the file again.")])
    for name, (in_file, out) in filed.items():
        _providers[name].credits_filed(bank_file=bank_file, filed=in_file, left_out=out)
    return bank_file


@transaction.atomic
def bank_file_mark_sent(*, bank_file: BankFile, acting_user: User) -> BankFile:
    """Record the file as sent: net pays move from payable to the bank (one entry)."""
    updated = BankFile.objects.filter(pk=bank_file.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not updated:
        raise RunConflict([_("This bank file is already recorded as sent.")])
    bank_file.refresh_from_db()
    payslips = Payslip.objects.filter(
        Q(run_id=bank_file.run_id, bank_excluded="") | Q(carried_in=bank_file),
        status=PayslipStatus.POSTED,
        net__gt=0,
    ).select_related("activity")
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    lines = [LineSpec(accounts.NET_PAY_PAYABLE, p.activity, p.net) for p in payslips]
    if lines:
        lines.append(LineSpec(accounts.BANK, coop, -sum((line.amount for line in lines), ZERO)))
        entry_post(
            date=bank_file.payment_day,
            description=str(
                _("Bank file %(n)04d: net pays of %(date)s")
                % {"n": bank_file.creation_number, "date": bank_file.run.pay_date}
            ),
            lines=lines,
            idempotency_key=f"payroll:bankfile:{bank_file.pk}:sent",
            acting_user=acting_user,
            source=bank_file,
        )
    for provider in _providers.values():
        provider.file_sent(bank_file=bank_file, acting_user=acting_user)
    return bank_file


@transaction.atomic
def payment_return(*, payslip: Payslip, reason_code: str, acting_user: User) -> Payslip:
    """The bank returned this deposit: the net pay is payable again and the member's
    bank account is flagged until they give a new one."""
    if reason_code not in RETURN_REASONS:
        raise PayrollError([_("Unknown return reason code %(code)s.") % {"code": reason_code}])
    payslip.refresh_from_db(fields=["carried_in", "bank_excluded", "returned_at"])
    carried = payslip.carried_in_id
    if carried is not None:
        # A later run's file carried this net: that deposit came back; owed again.
        sent = BankFile.objects.filter(pk=carried, sent_at__isnull=False).exists()
        if not sent:
            raise PayrollError([_("This pay was not sent to the bank.")])
        updated = Payslip.objects.filter(pk=payslip.pk, carried_in_id=carried).update(
            carried_in=None, returned_at=timezone.now()
        )
        key = f"payroll:payslip:{payslip.pk}:returned:{carried}"
    else:
        bank_file = BankFile.objects.filter(run_id=payslip.run_id, sent_at__isnull=False).first()
        if bank_file is None or payslip.bank_excluded:
            raise PayrollError([_("This pay was not sent to the bank.")])
        updated = Payslip.objects.filter(pk=payslip.pk, returned_at__isnull=True).update(
            returned_at=timezone.now()
        )
        key = f"payroll:payslip:{payslip.pk}:returned"
    if not updated:
        raise RunConflict([_("This deposit is already recorded as returned.")])
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    entry_post(
        date=timezone.localdate(),
        description=str(
            _("Deposit returned by the bank (%(code)s): %(member)s")
            % {"code": reason_code, "member": payslip.member.number}
        ),
        lines=[
            LineSpec(accounts.BANK, coop, payslip.net),
            LineSpec(accounts.NET_PAY_PAYABLE, payslip.activity, -payslip.net),
        ],
        idempotency_key=key,
        acting_user=acting_user,
        source=payslip,
    )
    record, _created = EmploymentRecord.objects.get_or_create(member_id=payslip.member_id)
    record.bank_account_returned = True
    record._history_user = acting_user  # type: ignore[attr-defined]
    record.save(update_fields=["bank_account_returned"])
    payslip.refresh_from_db()
    return payslip


@transaction.atomic
def net_pay_paid_otherwise(
    *, payslip: Payslip, paid_on: dt.date, reference: str, acting_user: User
) -> Payslip:
    """Staff paid a net still owed another way (a cheque): net pay payable to the
    bank, once. Refused when the net is not owed or already paid (a file, a cheque)."""
    payslip = (
        Payslip.objects.select_for_update(of=("self",))
        .select_related("member", "activity", "carried_in")
        .get(pk=payslip.pk)
    )
    if payslip.paid_otherwise_on is not None:
        raise RunConflict(
            [
                _("This net pay is already recorded as paid on %(date)s (%(ref)s).")
                % {"date": payslip.paid_otherwise_on, "ref": payslip.paid_otherwise_reference}
            ]
        )
    if payslip.carried_in is not None:
        raise RunConflict(
            [
                _("This net pay is in bank file %(n)04d: it cannot also be paid another way.")
                % {"n": payslip.carried_in.creation_number}
            ]
        )
    if not nets_owed().filter(pk=payslip.pk).exists():
        raise PayrollError([_("This net pay is not owed: it went to the bank.")])
    reference = reference.strip()
    if not reference:
        raise PayrollError([_("Give the cheque or payment reference.")], field="reference")
    if paid_on > timezone.localdate():
        raise PayrollError([_("The payment date cannot be in the future.")], field="paid_on")
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    try:
        entry_post(
            date=paid_on,
            description=str(
                _("Net pay of %(date)s paid another way (%(ref)s): %(member)s")
                % {"date": payslip.pay_date, "ref": reference, "member": payslip.member.number}
            ),
            lines=[
                LineSpec(accounts.NET_PAY_PAYABLE, payslip.activity, payslip.net),
                LineSpec(accounts.BANK, coop, -payslip.net),
            ],
            idempotency_key=f"payroll:payslip:{payslip.pk}:paid-otherwise",
            acting_user=acting_user,
            source=payslip,
        )
    except PostingError as exc:
        raise PayrollError([str(exc)], field="paid_on") from exc
    payslip.paid_otherwise_on = paid_on
    payslip.paid_otherwise_reference = reference[:60]
    payslip.save(update_fields=["paid_otherwise_on", "paid_otherwise_reference"])
    return payslip


def bank_file_total(run: PayRun, pays: Sequence[NetPay] | None = None) -> Decimal:
    """What the run's bank file carries: the file's total once made; before,
    what it would carry now (``bank_credits``: the same computation), for the
    run's posted payslips or, for a dry run, the net pays it computed."""
    bank_file = BankFile.objects.filter(run=run).first() if run.pk else None
    if bank_file is not None:
        return bank_file.total
    if pays is None:
        payslips = Payslip.objects.filter(run=run, status=PayslipStatus.POSTED, net__gt=0)
        pays = [_net_pay(p) for p in payslips.select_related("member").order_by("id")]
    with transaction.atomic():  # the providers lock what they list; nothing is written
        return bank_credits(run=run, pays=[p for p in pays if p.net > 0]).total


@dataclass(slots=True)
class ReturnsImported:
    """What a return file did: deposits recorded as returned, those already
    recorded (the same file read twice), and the items left for staff."""

    returned: list[Payslip] = field(default_factory=list)
    already: list[Payslip] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def bank_returns_import(*, content: str, acting_user: User) -> ReturnsImported:
    """Read the bank's CPA-005 return file and record each returned deposit
    (``payment_return``: net pay payable again, bank account flagged).

    Each item is found by its cross-reference and must carry the same amount
    as the payslip's net pay; an item that does not is listed, never guessed.
    Idempotent: a file imported twice records nothing the second time.
    """
    try:
        parsed = parse_returns(content)
    except ValueError as exc:
        raise PayrollError(
            [_("This is not a CPA-005 return file: %(why)s.") % {"why": exc}], field="file"
        ) from exc
    out = ReturnsImported()
    ids = {}
    for item in parsed.items:
        found = REFERENCE.match(item.reference)
        if found:
            ids[item.reference] = int(found.group(1))
    payslips = Payslip.objects.select_related("member", "activity").in_bulk(ids.values())
    for item in parsed.items:
        payslip = payslips.get(ids.get(item.reference, 0))
        label = f"{item.reference or '?'} ({item.payee_name}, {item.amount})"
        if payslip is None:
            out.problems.append(_("%(item)s: no payslip has this reference.") % {"item": label})
        elif payslip.net != item.amount:
            out.problems.append(
                _("%(item)s: the payslip's net pay is %(net)s.")
                % {"item": label, "net": payslip.net}
            )
        elif payslip.returned_at is not None and payslip.carried_in_id is None:
            out.already.append(payslip)
        elif not item.reason:
            out.problems.append(
                _("%(item)s: the file gives no return reason; record it on the pay run.")
                % {"item": label}
            )
        else:
            try:
                out.returned.append(
                    payment_return(
                        payslip=payslip, reason_code=item.reason, acting_user=acting_user
                    )
                )
            except PayrollError as exc:
                out.problems.append(f"{label}: {' '.join(exc.problems)}")
    return out
