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

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.clients.models import Client
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO, money_str
from maille.guarantee import rules
from maille.guarantee.advances import adjustment_spec
from maille.guarantee.exceptions import (
    GuaranteeError,
    GuaranteeInputError,
)
from maille.guarantee.models import (
    Advance,
    ClientExclusion,
    GuaranteePolicy,
    InvoiceDispute,
    Loss,
    SignedContract,
)
from maille.guarantee.selectors import (
    MEMO_LOSS,
    Position,
    cents,
    positions,
)
from maille.invoicing import settlement
from maille.invoicing.models import (
    OPEN_STATUSES,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    InvoiceTax,
)
from maille.invoicing.postings import tax_accounts
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE
from maille.members.selectors import coop_activities

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
    subtotal = locked.subtotal - cents(credited["s"])
    contribution = locked.contribution - cents(credited["c"])
    total = locked.total - cents(credited["t"])
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
                adjustment_spec(
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
