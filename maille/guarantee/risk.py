"""Risk readings of the guarantee fund: each client's payment record (pooled
over every member's invoices, shown on client, quote and invoice pages) and the
board's stress simulation (what if the largest clients never pay).

Both read the fund's figures and exposures from ``selectors``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from maille.clients.models import Client
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.guarantee.models import (
    GuaranteePolicy,
    InvoiceDispute,
)
from maille.guarantee.selectors import (
    MEMO_ADVANCE,
    FundFigures,
    cents,
    exposures,
    fund_figures,
    fund_lines,
)
from maille.invoicing.models import (
    OPEN_STATUSES,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
)
from maille.ledger import accounts
from maille.payments.models import Allocation

# --- Client risk (pooled over every member's invoices) ------------------------------


@dataclass(frozen=True, slots=True)
class ClientRisk:
    client_id: int
    level: str  #: good / watch / risky / unknown
    invoices: int
    on_time_share: Decimal | None
    average_days_late: Decimal | None
    disputes: int
    write_offs: int


RISK_GOOD, RISK_WATCH, RISK_RISKY, RISK_UNKNOWN = "good", "watch", "risky", "unknown"


def client_risks(client_ids: Iterable[int], on: dt.date | None = None) -> dict[int, ClientRisk]:
    """The pooled payment history of each client, over every member's invoices.

    Only counts and ratios leave this function: no invoice, amount or member.
    *On time*: settled (paid) with its last payment on or before the due
    date; *days late*: for settled invoices, last payment − due date; for
    open ones past due, today − due date.
    """
    day = on or timezone.localdate()
    ids = list(set(client_ids))
    policy = GuaranteePolicy.in_force(day)
    issued = Invoice.objects.filter(
        client_id__in=ids, kind=InvoiceKind.INVOICE, issue_date__lte=day
    ).exclude(status=InvoiceStatus.DRAFT)
    last_paid = dict(
        Allocation.objects.filter(invoice__in=issued, payment__reversed_on__isnull=True)
        .values_list("invoice_id")
        .annotate(last=Max("date"))
        .values_list("invoice_id", "last")
    )
    stats: dict[int, dict[str, int]] = defaultdict(
        lambda: {"n": 0, "on_time": 0, "judged": 0, "late_days": 0, "late_n": 0, "off": 0}
    )
    for pk, client_id, status, due in issued.values_list("pk", "client_id", "status", "due_date"):
        s = stats[client_id]
        s["n"] += 1
        if status == InvoiceStatus.WRITTEN_OFF:
            s["off"] += 1
            s["judged"] += 1
            continue
        if due is None:
            continue
        if status == InvoiceStatus.PAID:
            paid_on = last_paid.get(pk, due)
            s["judged"] += 1
            late = (paid_on - due).days
            if late <= 0:
                s["on_time"] += 1
            s["late_days"] += max(late, 0)
            s["late_n"] += 1
        elif status in OPEN_STATUSES and due < day:
            s["judged"] += 1
            s["late_days"] += (day - due).days
            s["late_n"] += 1
    disputes = dict(
        InvoiceDispute.objects.filter(invoice__client_id__in=ids)
        .values_list("invoice__client_id")
        .annotate(n=Count("pk"))
        .values_list("invoice__client_id", "n")
    )
    found = {}
    for client_id in ids:
        s = stats[client_id]
        on_time = (
            (Decimal(s["on_time"]) / Decimal(s["judged"])).quantize(Decimal("0.01"))
            if s["judged"]
            else None
        )
        late = (
            (Decimal(s["late_days"]) / Decimal(s["late_n"])).quantize(Decimal("0.1"))
            if s["late_n"]
            else None
        )
        found[client_id] = ClientRisk(
            client_id=client_id,
            level=_level(policy, on_time, late, disputes.get(client_id, 0), s["off"], s["judged"]),
            invoices=s["n"],
            on_time_share=on_time,
            average_days_late=late,
            disputes=disputes.get(client_id, 0),
            write_offs=s["off"],
        )
    return found


def _level(
    policy: GuaranteePolicy | None,
    on_time: Decimal | None,
    late: Decimal | None,
    disputes: int,
    write_offs: int,
    judged: int,
) -> str:
    if judged == 0 and not disputes:
        return RISK_UNKNOWN
    watch_on_time = policy.risk_watch_on_time if policy else Decimal("0.80")
    risky_on_time = policy.risk_risky_on_time if policy else Decimal("0.50")
    watch_late = policy.risk_watch_days_late if policy else 10
    risky_late = policy.risk_risky_days_late if policy else 30
    if (
        write_offs
        or (on_time is not None and on_time < risky_on_time)
        or (late is not None and late >= risky_late)
    ):
        return RISK_RISKY
    if (
        disputes
        or (on_time is not None and on_time < watch_on_time)
        or (late is not None and late >= watch_late)
    ):
        return RISK_WATCH
    return RISK_GOOD


def client_risk(client: Client, on: dt.date | None = None) -> ClientRisk:
    return client_risks([client.pk], on)[client.pk]


def client_history(*, user: User, client: Client) -> QuerySet[Invoice]:
    """Staff only: the client's invoices with their payment state (members get the indicator)."""
    if not user.is_staff:
        return Invoice.objects.none()
    return (
        Invoice.objects.filter(client=client, kind=InvoiceKind.INVOICE)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("activity")
        .order_by("-issue_date", "-pk")
    )


# --- Stress simulation (the board) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClientExposure:
    client_id: int
    name: str
    exposure: Decimal


@dataclass(frozen=True, slots=True)
class Stress:
    before: FundFigures
    defaulting: list[ClientExposure]
    loss_clients: Decimal
    default_rate: Decimal  #: losses / advances over the last 12 months
    multiplier: Decimal
    loss_rate: Decimal
    monthly_contributions: Decimal

    @property
    def loss(self) -> Decimal:
        return self.loss_clients + self.loss_rate

    @property
    def balance_after(self) -> Decimal:
        return self.before.balance - self.loss

    @property
    def exposure_after(self) -> Decimal:
        return max(self.before.exposure - self.loss_clients, ZERO)

    @property
    def coverage_after(self) -> Decimal | None:
        if self.exposure_after <= 0:
            return None
        return (self.balance_after / self.exposure_after).quantize(Decimal("0.001"))

    @property
    def months_to_rebuild(self) -> Decimal | None:
        """Months of the fund's share of contributions that would earn the loss back."""
        if self.loss <= 0:
            return ZERO
        if self.monthly_contributions <= 0:
            return None
        return (self.loss / self.monthly_contributions).quantize(Decimal("0.1"))


def largest_exposures(n: int, on: dt.date | None = None) -> list[ClientExposure]:
    by_client, _by_member = exposures(on)
    names = dict(Client.objects.filter(pk__in=list(by_client)).values_list("pk", "legal_name"))
    ranked = sorted(
        (
            ClientExposure(pk, names.get(pk, ""), amount)
            for pk, amount in by_client.items()
            if amount > 0
        ),
        key=lambda c: (-c.exposure, c.client_id),
    )
    return ranked[:n]


def stress_simulation(
    *,
    client_ids: Iterable[int] = (),
    largest: int = 0,
    rate_multiplier: Decimal = Decimal(1),
    on: dt.date | None = None,
) -> Stress:
    """What if these clients (or the ``largest`` N exposures) never pay, and the
    default rate is multiplied (2 = doubles): the fund's balance and coverage after.

    The clients' loss is the fund's outstanding advances to them. The rate's
    loss: (losses ÷ advances of the last 12 months) × multiplier × the
    exposure left. Months to rebuild: the loss ÷ the fund's average monthly
    share of contributions over the last 12 months.
    """
    day = on or timezone.localdate()
    before = fund_figures(day)
    by_client, _by_member = exposures(day)
    chosen = {int(i) for i in client_ids}
    if largest:
        chosen |= {c.client_id for c in largest_exposures(largest, day)}
    names = dict(Client.objects.filter(pk__in=chosen).values_list("pk", "legal_name"))
    defaulting = sorted(
        (ClientExposure(pk, names.get(pk, ""), by_client.get(pk, ZERO)) for pk in chosen),
        key=lambda c: (-c.exposure, c.client_id),
    )
    loss_clients = sum((c.exposure for c in defaulting), ZERO)
    year_ago = day - dt.timedelta(days=365)
    window = fund_lines(day).filter(date__gt=year_ago)
    sums = window.aggregate(
        losses=Sum("amount", filter=Q(account__code=accounts.BAD_DEBTS)),
        advanced=Sum(
            "amount", filter=Q(account__code=accounts.GUARANTEE_ADVANCES, memo=MEMO_ADVANCE)
        ),
        contributions=Sum("amount", filter=Q(account__code=accounts.CONTRIBUTION_INCOME)),
    )
    advanced = cents(sums["advanced"])
    rate = (cents(sums["losses"]) / advanced).quantize(Decimal("0.0001")) if advanced > 0 else ZERO
    exposure_left = max(before.exposure - loss_clients, ZERO)
    loss_rate = round_half_up(exposure_left * rate * rate_multiplier)
    return Stress(
        before=before,
        defaulting=defaulting,
        loss_clients=loss_clients,
        default_rate=rate,
        multiplier=rate_multiplier,
        loss_rate=loss_rate,
        monthly_contributions=round_half_up(-cents(sums["contributions"]) / 12),
    )
