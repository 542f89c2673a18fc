"""The guarantee's rules as pure functions over frozen facts (no database).

Eligibility of an invoice (issue 13; ARCHITECTURE §2.6): it is covered when

- it is an invoice to a client (not internal, not a credit note);
- it comes from a quote the client accepted online, or staff recorded the
  contract as signed;
- the client is not excluded;
- it is not in dispute;
- the fund's exposure to the client and to the member, with this advance,
  stays within the policy's limits.

``reasons`` returns every reason an invoice is not covered, at once, so the
member and staff see them all. The amounts:

    advance      = share × (subtotal − contribution), half-up to the cent
    settled      = advance × min(1, collected / total)       (payments pro rata)
    outstanding  = advance − settled                          (zero once absorbed)

where subtotal, contribution and total are net of the credit notes issued
against the invoice (a credit note claws back the advance in proportion).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from maille.core.money import ZERO, round_half_up

NOT_AN_INVOICE = "not_an_invoice"
INTERNAL = "internal"
NO_ACCEPTANCE = "no_acceptance"
CLIENT_EXCLUDED = "client_excluded"
DISPUTED = "disputed"
CLIENT_LIMIT = "client_limit"
MEMBER_LIMIT = "member_limit"
NO_POLICY = "no_policy"
NOTHING_TO_ADVANCE = "nothing_to_advance"


@dataclass(frozen=True, slots=True)
class Limits:
    share: Decimal
    client_limit: Decimal
    member_limit: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    is_invoice: bool
    is_internal: bool
    accepted: bool  #: accepted quote online, or a contract recorded as signed
    client_excluded: str | None  #: the exclusion's reason, None when not excluded
    disputed: bool
    subtotal: Decimal
    contribution: Decimal
    client_exposure: Decimal  #: the fund's outstanding advances to this client, others
    member_exposure: Decimal  #: the same for the invoice's member


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message: str


def advance_amount(*, subtotal: Decimal, contribution: Decimal, share: Decimal) -> Decimal:
    return max(round_half_up(share * (subtotal - contribution)), ZERO)


def reasons(facts: InvoiceFacts, limits: Limits | None) -> list[Reason]:
    """Every reason this invoice is not covered by the guarantee (empty: covered)."""
    found: list[Reason] = []
    if not facts.is_invoice:
        found.append(Reason(NOT_AN_INVOICE, _("A credit note is not covered by the guarantee.")))
    if facts.is_internal:
        found.append(Reason(INTERNAL, _("An internal invoice between activities is not covered.")))
    if not facts.accepted:
        found.append(
            Reason(
                NO_ACCEPTANCE,
                _(
                    "No quote accepted online by the client, nor a contract recorded as "
                    "signed: the invoice is not covered by the guarantee."
                ),
            )
        )
    if facts.client_excluded is not None:
        found.append(
            Reason(
                CLIENT_EXCLUDED,
                _("The client is excluded from the guarantee: %(reason)s")
                % {"reason": facts.client_excluded},
            )
        )
    if facts.disputed:
        found.append(Reason(DISPUTED, _("The client disputes this invoice.")))
    if limits is None:
        found.append(Reason(NO_POLICY, _("No guarantee policy is in force on that date.")))
        return found
    amount = advance_amount(
        subtotal=facts.subtotal, contribution=facts.contribution, share=limits.share
    )
    if amount <= 0 and facts.is_invoice and not facts.is_internal:
        found.append(Reason(NOTHING_TO_ADVANCE, _("There is nothing to advance.")))
    if facts.client_exposure + amount > limits.client_limit:
        found.append(
            Reason(
                CLIENT_LIMIT,
                _("The fund's limit for this client (%(limit)s) leaves no room for it.")
                % {"limit": limits.client_limit},
            )
        )
    if facts.member_exposure + amount > limits.member_limit:
        found.append(
            Reason(
                MEMBER_LIMIT,
                _("The fund's limit per member (%(limit)s) leaves no room for it.")
                % {"limit": limits.member_limit},
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Targets:
    """Where an advance should stand, from the invoice's figures now."""

    clawed_back: Decimal
    settled: Decimal

    def outstanding(self, amount: Decimal) -> Decimal:
        return amount - self.clawed_back - self.settled


def targets(
    *,
    amount: Decimal,
    share: Decimal,
    subtotal: Decimal,
    contribution: Decimal,
    total: Decimal,
    collected: Decimal,
) -> Targets:
    """Claw-back and settlement an advance should have reached (figures net of credit notes)."""
    effective = min(
        advance_amount(subtotal=subtotal, contribution=contribution, share=share), amount
    )
    clawed = amount - effective
    if total <= 0:
        return Targets(clawed_back=clawed, settled=effective)
    ratio = min(max(collected, ZERO) / total, Decimal(1))
    return Targets(clawed_back=clawed, settled=round_half_up(effective * ratio))


@dataclass(frozen=True, slots=True)
class LossSplit:
    tax_adjustments: dict[str, Decimal]  #: per tax code, A × B / C
    unpaid_subtotal: Decimal
    fund: Decimal
    activity: Decimal
    coop: Decimal


def loss_split(
    *,
    written_off: Decimal,
    total: Decimal,
    subtotal: Decimal,
    contribution: Decimal,
    taxes: dict[str, Decimal],
    advance_share: Decimal | None,
) -> LossSplit:
    """Who bears an unpaid amount written off (taxes included).

    Taxes: each tax × written off / total (ETA s. 231, QST s. 444: A × B / C).
    The rest is the unpaid subtotal U; of it, N = (subtotal − contribution) ×
    written off / total is the member's unpaid share. Covered by an advance
    of share s: the activity bears N − s × N (nothing at 100 %), the fund the
    rest of U. Not covered: the activity bears N and the co-op the unpaid
    contribution U − N (it was never collected).
    """
    adjustments = {
        code: round_half_up(amount * written_off / total)
        for code, amount in taxes.items()
        if amount
    }
    unpaid = written_off - sum(adjustments.values(), ZERO)
    member_share = min(round_half_up((subtotal - contribution) * written_off / total), unpaid)
    if advance_share is not None:
        activity = member_share - round_half_up(advance_share * member_share)
        return LossSplit(adjustments, unpaid, fund=unpaid - activity, activity=activity, coop=ZERO)
    return LossSplit(
        adjustments, unpaid, fund=ZERO, activity=member_share, coop=unpaid - member_share
    )


def policy_problems(
    *,
    valid_from: dt.date | None,
    delay_working_days: int | None,
    advance_share: Decimal | None,
    client_limit: Decimal | None,
    member_limit: Decimal | None,
    coverage_floor: Decimal | None,
    risk_watch_on_time: Decimal,
    risk_risky_on_time: Decimal,
    risk_watch_days_late: int,
    risk_risky_days_late: int,
) -> dict[str, list[str]]:
    """Every problem of a policy, by field (empty: it may be saved)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if valid_from is None:
        add("valid_from", _("Say from which date the policy is in force."))
    if delay_working_days is None or delay_working_days < 1:
        add("delay_working_days", _("The delay must be at least one working day."))
    elif delay_working_days > 60:
        add("delay_working_days", _("The delay cannot exceed 60 working days."))
    if advance_share is None or advance_share <= 0:
        add("advance_share", _("The share advanced must be above 0 %."))
    elif advance_share > 1:
        add("advance_share", _("The share advanced cannot exceed 100 %."))
    for field, value in (
        ("client_limit", client_limit),
        ("member_limit", member_limit),
        ("coverage_floor", coverage_floor),
    ):
        if value is None or value < 0:
            add(field, _("This figure cannot be negative."))
    if client_limit is not None and client_limit == 0 and member_limit and member_limit > 0:
        add("client_limit", _("A limit of zero per client would refuse every advance."))
    if risk_risky_on_time > risk_watch_on_time:
        add(
            "risk_risky_on_time",
            _("The 'risky' on-time share must be at most the 'watch' one."),
        )
    if risk_risky_days_late < risk_watch_days_late:
        add(
            "risk_risky_days_late",
            _("The 'risky' days late must be at least the 'watch' ones."),
        )
    return problems
