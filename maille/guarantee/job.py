"""The guarantee's daily job: advance invoices that became eligible, settle and
claw back advances, absorb write-offs that did not go through ``absorb_loss``.

It holds a lock row for its whole run, so two runs at once do not both
advance: the second is refused at once with ``GuaranteeJobBusy``. Run twice
for the same date, the second finds nothing left to do (every figure is
recomputed from the ledger and the invoices).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO, money_str
from maille.guarantee import rules
from maille.guarantee.advances import Candidate, PayDates, World, adjustment_spec, advance_specs
from maille.guarantee.exceptions import (
    GuaranteeJobBusy,
)
from maille.guarantee.models import (
    Advance,
    GuaranteePolicy,
    GuaranteeRun,
    Loss,
)
from maille.guarantee.selectors import (
    MEMO_CLAWBACK,
    MEMO_LOSS,
    MEMO_SETTLEMENT,
    Position,
)
from maille.invoicing.models import (
    OPEN_STATUSES,
    InvoiceStatus,
)
from maille.ledger.services import EntrySpec, entries_post_many
from maille.members.models import FUND_ACTIVITY_CODE, Activity

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
    world = World.load(on)
    if progress:
        progress(_("Loaded %(n)s invoices.") % {"n": len(world.invoices)})
    eligible = 0
    candidates: list[Candidate] = []
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
        if r.advance_id is not None:
            # Advanced before and closed since (paid, then the payment reversed):
            # a closed advance is never reopened (open ones are in world.advances).
            continue
        candidate = world.candidate(r.pk, policy, reasons_checked=True)
        if candidate is None:
            paused = True
            continue
        candidates.append(candidate)
        world.take(candidate)
    amount_advanced = sum((c.amount for c in candidates), ZERO)
    specs: list[EntrySpec] = []
    if candidates and policy is not None:
        _advances, specs = advance_specs(candidates, on=on, policy=policy, pay_dates=PayDates())
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


def _adjustment(
    row: dict[str, Any],
    number: str,
    on: dt.date,
    amount: Decimal,
    memo: str,
    n: int,
    *,
    fund: Activity,
    activity: Activity,
) -> EntrySpec:
    """The advance's n-th adjustment, keyed by its number: a second run posts it once."""
    return adjustment_spec(
        row, number, on, amount, memo, f"guarantee:{number}:adj:{n}", fund=fund, activity=activity
    )


def _adjustments(
    world: World, on: dt.date, acting_user: User | None
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
                    _adjustment(
                        row, r.number, on, -remaining, MEMO_LOSS, n, fund=fund, activity=activity
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
                _adjustment(
                    row, r.number, on, -claw, MEMO_CLAWBACK, n, fund=fund, activity=activity
                )
            )
            clawed += 1
        settle = target.settled - position.settled
        if settle and position.absorbed == 0:
            n += 1
            specs.append(
                _adjustment(
                    row, r.number, on, -settle, MEMO_SETTLEMENT, n, fund=fund, activity=activity
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


def _unabsorbed_write_offs(world: World) -> set[int]:
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
