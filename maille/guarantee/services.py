"""Writes of the guarantee fund: advances, settlements, claw-backs, losses, the daily job.

Postings (ARCHITECTURE §3; docs/decisions/0009-guarantee.md). [A] is the
invoice's activity, [F] the fund (``FONDS``), [C] the co-op (``COOP``):

    advance (at issue, or by the daily job)   GUARANTEE_ADVANCES +x [F] / GUARANTEED_BUDGET −x [A]
    settlement (the client paid a share)      GUARANTEED_BUDGET +x [A] / GUARANTEE_ADVANCES −x [F]
    claw-back (a credit note lowered it)      the same lines, memo "clawback"
    loss absorbed (write-off)                 AR −W [A]; GST/QST/HST payable +A×B/C [A];
                                              BAD_DEBTS +fund part [F], +activity part [A],
                                              +co-op part [C]; and the advance still
                                              outstanding settled as above (memo "loss")

The advance's entries have the ``Advance`` row as source (the line's memo
says which kind); the write-off entry has the invoice as source, so the
budget selector sees the receivable closed and counts the invoice's share as
collected, while the activity's part of the loss (``BAD_DEBTS`` [A]) is one
of its costs. Idempotency keys are derived from the invoice number and a
counter kept on the locked ``Advance`` row.

The daily job (``guarantee_run``) holds a lock row for its whole run, so two
runs at once do not both advance: the second is refused at once with
``GuaranteeJobBusy``. Run twice for the same date, the second finds nothing
left to do (every figure is recomputed from the ledger and the invoices).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maille.clients.models import Client
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO, money_str, round_half_up
from maille.guarantee import rules
from maille.guarantee.exceptions import (
    GuaranteeError,
    GuaranteeInputError,
    GuaranteeJobBusy,
)
from maille.guarantee.models import (
    Advance,
    ClientExclusion,
    GuaranteePolicy,
    GuaranteeRun,
    InvoiceDispute,
    Loss,
    PayKind,
    SignedContract,
)
from maille.guarantee.selectors import (
    MEMO_ADVANCE,
    MEMO_CLAWBACK,
    MEMO_LOSS,
    MEMO_SETTLEMENT,
    FundFigures,
    Position,
    excluded_clients,
    fund_figures,
    limits_of,
    positions,
)
from maille.invoicing import settlement
from maille.invoicing.models import (
    OPEN_STATUSES,
    ContributionPolicy,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    InvoiceTax,
)
from maille.invoicing.postings import tax_accounts
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE, Activity
from maille.members.selectors import coop_activities
from maille.payroll import calendar
from maille.payroll.exceptions import PayrollError

PAUSED_MESSAGE = gettext_lazy(
    "New advances are paused: the fund's coverage ratio is below the policy's floor."
)


# --- Policy, exclusions, contracts, disputes -------------------------------------


def _need_staff(user: User) -> None:
    if not user.is_staff:
        raise PermissionError


def _need_admin(user: User) -> None:
    if not (user.is_superuser or getattr(user, "is_admin", False)):
        raise PermissionError


@transaction.atomic
def policy_create(*, acting_user: User, valid_from: dt.date, **fields: Any) -> GuaranteePolicy:
    """A new policy in force from ``valid_from`` (admins; the older rows stay as history)."""
    _need_admin(acting_user)
    defaults = {
        f.name: f.default for f in GuaranteePolicy._meta.concrete_fields if f.name not in ("id",)
    }
    values = {**{k: v for k, v in defaults.items() if k not in ("valid_from", "source")}, **fields}
    problems = rules.policy_problems(
        valid_from=valid_from,
        delay_working_days=values.get("delay_working_days"),
        advance_share=values.get("advance_share"),
        client_limit=values.get("client_limit"),
        member_limit=values.get("member_limit"),
        coverage_floor=values.get("coverage_floor"),
        risk_watch_on_time=values["risk_watch_on_time"],
        risk_risky_on_time=values["risk_risky_on_time"],
        risk_watch_days_late=values["risk_watch_days_late"],
        risk_risky_days_late=values["risk_risky_days_late"],
    )
    if GuaranteePolicy.objects.filter(valid_from=valid_from).exists():
        problems.setdefault("valid_from", []).append(
            _("A policy already starts on %(d)s.") % {"d": valid_from.isoformat()}
        )
    if problems:
        raise GuaranteeInputError(problems)
    policy = GuaranteePolicy(valid_from=valid_from, **values)
    set_actor(policy, acting_user)
    policy.save()
    return policy


@transaction.atomic
def client_exclude(
    *, client_id: int, reason: str, on: dt.date, acting_user: User
) -> ClientExclusion:
    """Exclude a client from the guarantee from ``on`` (staff), with a reason."""
    _need_staff(acting_user)
    problems: dict[str, list[str]] = {}
    client = Client.objects.select_for_update().filter(pk=client_id).first()
    if client is None:
        problems["client_id"] = [_("There is no client %(id)s.") % {"id": client_id}]
    if not reason.strip():
        problems["reason"] = [_("Say why the client is excluded.")]
    if problems:
        raise GuaranteeInputError(problems)
    if ClientExclusion.objects.filter(client_id=client_id, lifted_on__isnull=True).exists():
        raise GuaranteeError(_("This client is already excluded from the guarantee."))
    exclusion = ClientExclusion(
        client=client, reason=reason.strip()[:300], excluded_on=on, created_by=acting_user
    )
    set_actor(exclusion, acting_user)
    exclusion.save()
    return exclusion


@transaction.atomic
def client_readmit(*, client_id: int, on: dt.date, acting_user: User) -> ClientExclusion:
    _need_staff(acting_user)
    exclusion = (
        ClientExclusion.objects.select_for_update()
        .filter(client_id=client_id, lifted_on__isnull=True)
        .first()
    )
    if exclusion is None:
        raise GuaranteeInputError({"client_id": [_("This client is not excluded.")]})
    if on < exclusion.excluded_on:
        raise GuaranteeInputError({"on": [_("The date is before the exclusion.")]})
    exclusion.lifted_on = on
    set_actor(exclusion, acting_user)
    exclusion.save(update_fields=["lifted_on"])
    return exclusion


@transaction.atomic
def contract_record_signed(
    *, invoice: Invoice, signed_on: dt.date, reference: str, acting_user: User
) -> SignedContract:
    """Staff record that the client signed a contract for this invoice: the daily job
    advances it from then on, if it is otherwise eligible."""
    _need_staff(acting_user)
    problems: dict[str, list[str]] = {}
    if invoice.is_draft or invoice.kind != InvoiceKind.INVOICE or invoice.client_id is None:
        problems["invoice"] = [_("Only an issued invoice to a client can be covered.")]
    if not reference.strip():
        problems["reference"] = [_("Give the signed contract's reference.")]
    if signed_on > timezone.localdate():
        problems["signed_on"] = [_("The signing date cannot be in the future.")]
    if problems:
        raise GuaranteeInputError(problems)
    if SignedContract.objects.filter(invoice=invoice).exists():
        raise GuaranteeError(_("A signed contract is already recorded for this invoice."))
    contract = SignedContract(
        invoice=invoice,
        signed_on=signed_on,
        reference=reference.strip()[:200],
        recorded_by=acting_user,
    )
    set_actor(contract, acting_user)
    contract.save()
    return contract


@transaction.atomic
def dispute_open(
    *, invoice: Invoice, on: dt.date, reason: str, acting_user: User | None
) -> InvoiceDispute:
    """The client disputes the invoice: it is not eligible while the dispute is open.

    An advance already paid stays (the member was paid); a later loss on a
    disputed invoice is still absorbed if it was advanced. Collection calls this.
    """
    existing = InvoiceDispute.objects.filter(invoice=invoice, closed_on__isnull=True).first()
    if existing is not None:
        return existing
    dispute = InvoiceDispute(
        invoice=invoice, opened_on=on, reason=reason[:300], created_by=acting_user
    )
    set_actor(dispute, acting_user)
    dispute.save()
    return dispute


@transaction.atomic
def dispute_close(*, invoice: Invoice, on: dt.date, acting_user: User | None) -> int:
    return InvoiceDispute.objects.filter(invoice=invoice, closed_on__isnull=True).update(
        closed_on=on
    )


# --- Amounts -----------------------------------------------------------------------


def contribution_estimate(subtotal: Decimal, on: dt.date) -> Decimal:
    """The contribution a draft's subtotal would bear if issued on ``on`` (one rule)."""
    policy = ContributionPolicy.on(on)
    if policy is None:
        return ZERO
    return policy.contribution_on(subtotal)[0]


def advances_paused(policy: GuaranteePolicy | None, figures: FundFigures, amount: Decimal) -> bool:
    """New advances pause when the coverage ratio, with this advance, is under the floor."""
    if policy is None or policy.coverage_floor <= 0:
        return False
    exposure = figures.exposure + amount
    if exposure <= 0:
        return False
    return figures.balance / exposure < policy.coverage_floor


class PayDates:
    """When an advance's salary is paid: the first regular pay date within the delay,
    else an off-cycle pay on the last bank business day of the delay (reference §6)."""

    def __init__(self) -> None:
        self._holidays: dict[int, frozenset[dt.date]] = {}
        self._regular: dict[int, list[dt.date]] = {}

    def _regular_dates(self, year: int) -> list[dt.date]:
        if year not in self._regular:
            try:
                self._regular[year] = [p.pay_date for p in calendar.pay_periods(year)]
            except PayrollError:
                self._regular[year] = []
        return self._regular[year]

    def of(self, start: dt.date, delay: int) -> tuple[dt.date, str]:
        deadline = calendar.add_working_days(start, delay, self._holidays)
        for year in sorted({start.year, deadline.year}):
            for day in self._regular_dates(year):
                if start < day <= deadline:
                    return day, PayKind.REGULAR
        return calendar.previous_business_day(deadline), PayKind.OFF_CYCLE


# --- Advances ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    invoice_id: int
    number: str
    activity_id: int
    client_id: int
    member_id: int | None
    start: dt.date
    amount: Decimal


def _advance_specs(
    candidates: Sequence[_Candidate],
    *,
    on: dt.date | None,
    policy: GuaranteePolicy,
    pay_dates: PayDates,
) -> tuple[list[Advance], list[EntrySpec]]:
    fund = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    activities = Activity.objects.in_bulk({c.activity_id for c in candidates})
    advances = []
    for c in candidates:
        pay_by, kind = pay_dates.of(c.start, policy.delay_working_days)
        advances.append(
            Advance(
                invoice_id=c.invoice_id,
                activity_id=c.activity_id,
                client_id=c.client_id,
                member_id_snapshot=c.member_id,
                advanced_on=on or c.start,
                share=policy.advance_share,
                amount=c.amount,
                pay_by=pay_by,
                pay_kind=kind,
            )
        )
    Advance.objects.bulk_create(advances)
    if any(a.pk is None for a in advances):  # SQLite before 3.35 returns no ids
        ids = dict(
            Advance.objects.filter(invoice_id__in=[c.invoice_id for c in candidates]).values_list(
                "invoice_id", "pk"
            )
        )
        for a in advances:
            a.pk = ids[a.invoice_id]
    specs = [
        EntrySpec(
            date=a.advanced_on,
            description=(_("Guarantee advance on invoice %(n)s") % {"n": c.number})[:200],
            lines=[
                LineSpec(accounts.GUARANTEE_ADVANCES, fund, a.amount, MEMO_ADVANCE),
                LineSpec(
                    accounts.GUARANTEED_BUDGET, activities[c.activity_id], -a.amount, MEMO_ADVANCE
                ),
            ],
            idempotency_key=f"guarantee:{c.number}:advance",
            source=a,
        )
        for a, c in zip(advances, candidates, strict=True)
    ]
    return advances, specs


def advance_at_issue(invoices: Sequence[Invoice], acting_user: User | None) -> None:
    """The issuing hook: advance each eligible invoice in the issuing transaction.

    No query for an invoice without an accepted quote (most of a batch).
    """
    backed = [
        i
        for i in invoices
        if i.has_accepted_quote and i.kind == InvoiceKind.INVOICE and i.client_id is not None
    ]
    if not backed:
        return
    on = backed[0].issue_date or timezone.localdate()
    policy = GuaranteePolicy.in_force(on)
    if policy is None:
        return
    world = _World.load(on, invoice_ids=[i.pk for i in backed])
    candidates = []
    for invoice in backed:
        candidate = world.candidate(invoice.pk, policy)
        if candidate is not None:
            candidates.append(candidate)
            world.take(candidate)
    if not candidates:
        return
    _advances, specs = _advance_specs(candidates, on=None, policy=policy, pay_dates=PayDates())
    entries_post_many(entries=specs, acting_user=acting_user, savepoint=False)


@dataclass
class _InvoiceRow:
    pk: int
    number: str
    status: str
    kind: str
    client_id: int | None
    member_id: int | None
    activity_id: int
    subtotal: Decimal
    contribution: Decimal
    total: Decimal
    paid: Decimal
    issue_date: dt.date
    has_accepted_quote: bool


class _World:
    """What eligibility and the job need to know, loaded in a few grouped queries."""

    FIELDS = (
        "pk",
        "number",
        "status",
        "kind",
        "client_id",
        "member_id",
        "activity_id",
        "subtotal",
        "contribution",
        "total",
        "amount_paid",
        "issue_date",
        "has_accepted_quote",
    )

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.invoices: dict[int, _InvoiceRow] = {}
        self.credits: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        self.signed: set[int] = set()
        self.disputed: set[int] = set()
        self.excluded: dict[int, str] = {}
        self.advances: dict[int, dict[str, Any]] = {}  # by invoice id
        self.positions: dict[int, Position] = {}
        self.by_client: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.by_member: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.figures: FundFigures | None = None

    @classmethod
    def load(cls, on: dt.date, invoice_ids: list[int] | None = None) -> _World:
        world = cls(on)
        qs = Invoice.objects.filter(kind=InvoiceKind.INVOICE, client__isnull=False)
        if invoice_ids is not None:
            qs = qs.filter(pk__in=invoice_ids)
        else:
            qs = qs.filter(
                Q(status__in=OPEN_STATUSES, issue_date__lte=on) | Q(guarantee_advance__closed=False)
            )
        for row in qs.values_list(*cls.FIELDS).iterator(chunk_size=10_000):
            r = _InvoiceRow(*row)
            world.invoices[r.pk] = r
        world.credits = {
            corrects_id: (_cents(s), _cents(c), _cents(t))
            for corrects_id, s, c, t in Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
            .exclude(status=InvoiceStatus.DRAFT)
            .values_list("corrects_id")
            .annotate(s=Sum("subtotal"), c=Sum("contribution"), t=Sum("total"))
            .values_list("corrects_id", "s", "c", "t")
        }
        world.signed = set(
            SignedContract.objects.filter(signed_on__lte=on).values_list("invoice_id", flat=True)
        )
        world.disputed = set(
            InvoiceDispute.objects.filter(closed_on__isnull=True).values_list(
                "invoice_id", flat=True
            )
        )
        world.excluded = excluded_clients(on)
        for row in Advance.objects.filter(closed=False).values(
            "pk", "invoice_id", "amount", "share", "client_id", "member_id_snapshot", "adjustments"
        ):
            world.advances[row["invoice_id"]] = dict(row)
        world.positions = positions()
        for row in world.advances.values():
            outstanding = world.positions.get(row["pk"], Position()).outstanding
            world.by_client[row["client_id"]] += outstanding
            if row["member_id_snapshot"] is not None:
                world.by_member[row["member_id_snapshot"]] += outstanding
        world.figures = fund_figures(on)
        return world

    def effective(self, r: _InvoiceRow) -> tuple[Decimal, Decimal, Decimal]:
        cs, cc, ct = self.credits.get(r.pk, (ZERO, ZERO, ZERO))
        return r.subtotal - cs, r.contribution - cc, r.total - ct

    def reasons(self, r: _InvoiceRow, policy: GuaranteePolicy | None) -> list[rules.Reason]:
        subtotal, contribution, _total = self.effective(r)
        facts = rules.InvoiceFacts(
            is_invoice=r.kind == InvoiceKind.INVOICE,
            is_internal=r.client_id is None,
            accepted=r.has_accepted_quote or r.pk in self.signed,
            client_excluded=self.excluded.get(r.client_id or 0),
            disputed=r.pk in self.disputed,
            subtotal=subtotal,
            contribution=contribution,
            client_exposure=self.by_client.get(r.client_id or 0, ZERO),
            member_exposure=self.by_member.get(r.member_id or 0, ZERO),
        )
        return rules.reasons(facts, limits_of(policy))

    def candidate(self, invoice_id: int, policy: GuaranteePolicy) -> _Candidate | None:
        r = self.invoices.get(invoice_id)
        if r is None or invoice_id in self.advances or r.status not in OPEN_STATUSES:
            return None
        if self.reasons(r, policy):
            return None
        subtotal, contribution, _total = self.effective(r)
        amount = rules.advance_amount(
            subtotal=subtotal, contribution=contribution, share=policy.advance_share
        )
        if self.figures is not None and advances_paused(policy, self.figures, amount):
            return None
        if r.client_id is None:
            return None
        return _Candidate(
            invoice_id=r.pk,
            number=r.number,
            activity_id=r.activity_id,
            client_id=r.client_id,
            member_id=r.member_id,
            start=max(r.issue_date, self.on)
            if r.pk in self.signed and not r.has_accepted_quote
            else r.issue_date,
            amount=amount,
        )

    def take(self, c: _Candidate) -> None:
        """Count an advance just decided in the exposures (limits and the coverage pause)."""
        self.by_client[c.client_id] += c.amount
        if c.member_id is not None:
            self.by_member[c.member_id] += c.amount
        if self.figures is not None:
            f = self.figures
            self.figures = FundFigures(
                on=f.on,
                balance=f.balance,
                exposure=f.exposure + c.amount,
                losses_this_year=f.losses_this_year,
                losses_by_year=f.losses_by_year,
                contributions=f.contributions,
            )


def _cents(value: Decimal | None) -> Decimal:
    return round_half_up(Decimal(value or 0))


# --- Loss absorption -------------------------------------------------------------------


def _effective_taxes(invoice: Invoice) -> dict[str, Decimal]:
    taxes: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, amount in InvoiceTax.objects.filter(invoice=invoice).values_list("code", "amount"):
        taxes[code] += amount
    for code, amount in (
        InvoiceTax.objects.filter(invoice__corrects=invoice, invoice__kind=InvoiceKind.CREDIT_NOTE)
        .exclude(invoice__status=InvoiceStatus.DRAFT)
        .values_list("code", "amount")
    ):
        taxes[code] -= amount
    return dict(taxes)


@transaction.atomic
def absorb_loss(
    *, invoice: Invoice, amount: Decimal, acting_user: User | None, on: dt.date
) -> Loss:
    """Write off ``amount`` (taxes included) of what the client still owes on ``invoice``.

    The contract collection codes against (docs/decisions/0009-guarantee.md):

    - runs in the caller's transaction (collection's write-off): all or nothing;
    - locks the invoice; ``0 < amount <= what is still owed`` else
      ``GuaranteeInputError`` naming ``amount``; an internal invoice, a credit
      note or a draft: ``GuaranteeInputError`` naming ``invoice``;
    - posts the write-off (receivable, GST/QST/HST bad-debt adjustment A × B / C,
      bad debt split by ``rules.loss_split``) and, if the invoice was advanced,
      settles the advance still outstanding: the fund bears it, the activity
      keeps what it was paid; a non-advanced invoice's loss falls on the activity;
    - adds ``amount`` to ``Invoice.amount_written_off`` and moves its status
      (``invoicing.settlement``): collection must not do it again;
    - returns the ``Loss`` row (``fund_part``, ``activity_part``, ``coop_part``,
      ``tax_adjustment``, ``eligible``).
    """
    if acting_user is not None and not acting_user.is_staff:
        raise PermissionError
    locked = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("activity")
        .get(pk=invoice.pk)
    )
    if locked.is_draft or locked.kind != InvoiceKind.INVOICE or locked.client_id is None:
        raise GuaranteeInputError(
            {"invoice": [_("Only an issued invoice to a client can be written off.")]}
        )
    owed = settlement.open_amount(locked)
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise GuaranteeInputError(
            {"amount": [_("The amount written off must be a positive amount in cents.")]}
        )
    if amount > owed:
        raise GuaranteeInputError(
            {
                "amount": [
                    _("The client owes %(owed)s on this invoice: %(amount)s cannot be written off.")
                    % {"owed": money_str(owed), "amount": money_str(amount)}
                ]
            }
        )
    credited = (
        Invoice.objects.filter(corrects=locked, kind=InvoiceKind.CREDIT_NOTE)
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(s=Sum("subtotal"), c=Sum("contribution"), t=Sum("total"))
    )
    subtotal = locked.subtotal - _cents(credited["s"])
    contribution = locked.contribution - _cents(credited["c"])
    total = locked.total - _cents(credited["t"])
    advance = Advance.objects.select_for_update().filter(invoice=locked).first()
    split = rules.loss_split(
        written_off=amount,
        total=total,
        subtotal=subtotal,
        contribution=contribution,
        taxes=_effective_taxes(locked),
        advance_share=advance.share if advance is not None else None,
    )
    sequence = (Loss.objects.filter(invoice=locked).count()) + 1
    special = coop_activities()
    fund, coop, activity = special[FUND_ACTIVITY_CODE], special[COOP_ACTIVITY_CODE], locked.activity
    codes = tax_accounts()
    lines = [LineSpec(accounts.AR, activity, -amount, MEMO_LOSS)]
    lines += [
        LineSpec(codes[code], activity, adj, MEMO_LOSS)
        for code, adj in sorted(split.tax_adjustments.items())
        if adj
    ]
    for who, part in ((fund, split.fund), (activity, split.activity), (coop, split.coop)):
        if part:
            lines.append(LineSpec(accounts.BAD_DEBTS, who, part, MEMO_LOSS))
    key = f"guarantee:{locked.number}:loss:{sequence}"
    loss = Loss.objects.create(
        invoice=locked,
        on=on,
        amount=amount,
        tax_adjustment=sum(split.tax_adjustments.values(), ZERO),
        fund_part=split.fund,
        activity_part=split.activity,
        coop_part=split.coop,
        eligible=advance is not None,
        sequence=sequence,
        created_by=acting_user,
    )
    specs = [
        EntrySpec(
            date=on,
            description=(
                _("Bad debt, invoice %(n)s, borne by the guarantee fund")
                if advance is not None
                else _("Bad debt, invoice %(n)s, borne by the activity")
            )
            % {"n": locked.number},
            lines=lines,
            idempotency_key=key,
            source=locked,
        )
    ]
    if advance is not None:
        outstanding = positions([advance.pk]).get(advance.pk, Position()).outstanding
        if outstanding > 0:
            specs.append(
                _adjustment_spec(
                    advance, str(locked.number), on, -outstanding, MEMO_LOSS, f"{key}:advance"
                )
            )
    entries_post_many(entries=specs, acting_user=acting_user)
    refreshed = settlement.invoice_settlement_refresh(
        invoice_id=locked.pk,
        acting_user=acting_user,
        written_off=locked.amount_written_off + amount,
    )
    if advance is not None and refreshed.status not in OPEN_STATUSES:
        Advance.objects.filter(pk=advance.pk).update(closed=True)
    return loss


def _adjustment_spec(
    advance: Advance | dict[str, Any],
    number: str,
    on: dt.date,
    amount: Decimal,
    memo: str,
    key: str,
    *,
    fund: Activity | None = None,
    activity: Activity | None = None,
) -> EntrySpec:
    """Move ``amount`` on the advance: negative settles/claws back, positive re-advances."""
    if isinstance(advance, Advance):
        source: Any = advance
        fund = fund or Activity.objects.get(code=FUND_ACTIVITY_CODE)
        activity = activity or advance.activity
    else:
        source = Advance(pk=advance["pk"])
        if fund is None or activity is None:
            raise RuntimeError("fund and activity are needed for an advance given as a row")
    labels = {
        MEMO_SETTLEMENT: _("Guarantee advance settled by the client's payment, invoice %(n)s"),
        MEMO_CLAWBACK: _("Guarantee advance clawed back after a credit note, invoice %(n)s"),
        MEMO_LOSS: _("Guarantee advance borne by the fund, invoice %(n)s"),
    }
    return EntrySpec(
        date=on,
        description=(labels[memo] % {"n": number})[:200],
        lines=[
            LineSpec(accounts.GUARANTEE_ADVANCES, fund, amount, memo),
            LineSpec(accounts.GUARANTEED_BUDGET, activity, -amount, memo),
        ],
        idempotency_key=key,
        source=source,
    )


# --- The daily job -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunResult:
    eligible: int
    advanced: int
    settled: int
    absorbed: int
    amount_advanced: Decimal
    clawed_back: int = 0
    paused: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "advanced": self.advanced,
            "settled": self.settled,
            "absorbed": self.absorbed,
            "amount_advanced": money_str(self.amount_advanced),
        }

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["amount_advanced"] = money_str(self.amount_advanced)
        return data


#: The lock row's date: no run has it (``GuaranteeRun.on`` is unique).
LOCK_DATE = dt.date(1, 1, 1)


def _take_job_lock() -> None:
    try:
        GuaranteeRun.objects.select_for_update(nowait=True).get(on=LOCK_DATE)
    except OperationalError as exc:
        raise GuaranteeJobBusy(
            _("The guarantee job is already running; nothing was done. Try again when it ends.")
        ) from exc


def guarantee_run(
    *, on: dt.date | None = None, acting_user: User | None = None, progress: Any = None
) -> RunResult:
    """The daily job: advance invoices that became eligible, settle and claw back
    advances, absorb write-offs that did not go through ``absorb_loss``.

    Idempotent: every decision is recomputed from the ledger and the invoices;
    running it again for the same date finds nothing to do.
    """
    day = on or timezone.localdate()
    with contextlib.suppress(IntegrityError), transaction.atomic():
        GuaranteeRun.objects.get_or_create(on=LOCK_DATE)  # a simultaneous first run may win
    # Not durable: the demo (and a test) run it inside their own transaction.
    with transaction.atomic():
        _take_job_lock()
        result = _run(day, acting_user, progress)
        GuaranteeRun.objects.update_or_create(
            on=day,
            defaults={
                "started_at": timezone.now(),
                "finished_at": timezone.now(),
                "result": result.as_dict(),
            },
        )
    return result


def _run(on: dt.date, acting_user: User | None, progress: Any) -> RunResult:
    policy = GuaranteePolicy.in_force(on)
    world = _World.load(on)
    if progress:
        progress(_("Loaded %(n)s invoices.") % {"n": len(world.invoices)})
    eligible = 0
    candidates: list[_Candidate] = []
    paused = False
    for r in sorted(world.invoices.values(), key=lambda r: (r.issue_date, r.pk)):
        if r.status not in OPEN_STATUSES or r.issue_date > on:
            continue
        if r.pk in world.advances:
            eligible += 1
            continue
        if policy is None:
            continue
        if world.reasons(r, policy):
            continue
        eligible += 1
        candidate = world.candidate(r.pk, policy)
        if candidate is None:
            paused = True
            continue
        candidates.append(candidate)
        world.take(candidate)
    # Invoices advanced before but closed since (paid, written off) keep no row
    # in ``world.advances``: a closed advance is never reopened.
    already = _closed_advanced([c.invoice_id for c in candidates])
    candidates = [c for c in candidates if c.invoice_id not in already]
    amount_advanced = sum((c.amount for c in candidates), ZERO)
    specs: list[EntrySpec] = []
    if candidates and policy is not None:
        _advances, specs = _advance_specs(candidates, on=on, policy=policy, pay_dates=PayDates())
    settled, clawed, absorbed, adjust_specs, closing = _adjustments(world, on, acting_user)
    specs += adjust_specs
    for start in range(0, len(specs), 5000):
        entries_post_many(entries=specs[start : start + 5000], acting_user=acting_user)
        if progress:
            progress(
                _("Posted %(n)s of %(total)s entries.")
                % {"n": min(start + 5000, len(specs)), "total": len(specs)}
            )
    if closing:
        Advance.objects.filter(pk__in=closing).update(closed=True)
    return RunResult(
        eligible=eligible,
        advanced=len(candidates),
        settled=settled,
        absorbed=absorbed,
        amount_advanced=amount_advanced,
        clawed_back=clawed,
        paused=paused,
    )


def _closed_advanced(invoice_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(invoice_ids), 5000):
        found |= set(
            Advance.objects.filter(invoice_id__in=invoice_ids[start : start + 5000]).values_list(
                "invoice_id", flat=True
            )
        )
    return found


def _adjustments(
    world: _World, on: dt.date, acting_user: User | None
) -> tuple[int, int, int, list[EntrySpec], list[int]]:
    """Settlements and claw-backs each open advance needs, and the advances to close."""
    if not world.advances:
        return 0, 0, 0, [], []
    fund = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    activity_of = {r.pk: r.activity_id for r in world.invoices.values()}
    activities = Activity.objects.in_bulk(set(activity_of.values()))
    written_off_unabsorbed = _unabsorbed_write_offs(world)
    settled = clawed = absorbed = 0
    specs: list[EntrySpec] = []
    closing: list[int] = []
    bumped: dict[int, int] = {}
    for invoice_id, row in world.advances.items():
        r = world.invoices.get(invoice_id)
        if r is None:
            continue
        position = world.positions.get(row["pk"], Position())
        subtotal, contribution, total = world.effective(r)
        target = rules.targets(
            amount=row["amount"],
            share=row["share"],
            subtotal=subtotal,
            contribution=contribution,
            total=total,
            collected=r.paid,
        )
        activity = activities[r.activity_id]
        n = row["adjustments"]
        if invoice_id in written_off_unabsorbed:
            # Written off without absorb_loss: the fund bears the rest of the advance.
            remaining = position.outstanding
            if remaining > 0:
                n += 1
                specs.append(
                    _adjustment_spec(
                        row,
                        r.number,
                        on,
                        -remaining,
                        MEMO_LOSS,
                        f"guarantee:{r.number}:adj:{n}",
                        fund=fund,
                        activity=activity,
                    )
                )
                absorbed += 1
            closing.append(row["pk"])
            bumped[row["pk"]] = n
            continue
        claw = target.clawed_back - position.clawed_back
        if claw and position.absorbed == 0:
            n += 1
            specs.append(
                _adjustment_spec(
                    row,
                    r.number,
                    on,
                    -claw,
                    MEMO_CLAWBACK,
                    f"guarantee:{r.number}:adj:{n}",
                    fund=fund,
                    activity=activity,
                )
            )
            clawed += 1
        settle = target.settled - position.settled
        if settle and position.absorbed == 0:
            n += 1
            specs.append(
                _adjustment_spec(
                    row,
                    r.number,
                    on,
                    -settle,
                    MEMO_SETTLEMENT,
                    f"guarantee:{r.number}:adj:{n}",
                    fund=fund,
                    activity=activity,
                )
            )
            settled += 1
        if n != row["adjustments"]:
            bumped[row["pk"]] = n
        outstanding_after = (
            position.outstanding - claw - settle if position.absorbed == 0 else position.outstanding
        )
        if r.status not in OPEN_STATUSES and outstanding_after == 0:
            closing.append(row["pk"])
    for pk, n in bumped.items():
        Advance.objects.filter(pk=pk).update(adjustments=n)
    return settled, clawed, absorbed, specs, closing


def _unabsorbed_write_offs(world: _World) -> set[int]:
    """Advanced invoices written off outside ``absorb_loss`` (an older path, an import)."""
    advanced = [
        i
        for i, r in world.invoices.items()
        if i in world.advances and r.status == InvoiceStatus.WRITTEN_OFF
    ]
    if not advanced:
        return set()
    with_loss = set(
        Loss.objects.filter(invoice_id__in=advanced).values_list("invoice_id", flat=True)
    )
    return set(advanced) - with_loss
