"""The guarantee fund's policy and records (ARCHITECTURE §2.6, §3; docs/decisions/0009).

Money never lives here: an advance's outstanding amount, the fund's balance,
its exposure and its losses are sums over ledger lines (``selectors``). The
rows below are the facts the ledger entries point to (their ``source``) and
the decisions people take: the policy in force, a client excluded, a
contract recorded as signed, a dispute, a loss absorbed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.clients.models import Client
from maille.invoicing.models import Invoice
from maille.members.models import Activity


class GuaranteePolicy(models.Model):
    """The fund's rules in force from ``valid_from``; admins add a row, history kept."""

    valid_from = models.DateField(_("valid from"), unique=True)
    delay_working_days = models.PositiveSmallIntegerField(
        _("pay within (working days after issue)"), default=7
    )
    advance_share = models.DecimalField(
        _("share advanced (of the subtotal after contribution)"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
    )
    client_limit = models.DecimalField(
        _("limit per client (fund's exposure)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("50000.00"),
    )
    member_limit = models.DecimalField(
        _("limit per member"), max_digits=14, decimal_places=2, default=Decimal("30000.00")
    )
    coverage_floor = models.DecimalField(
        _("coverage ratio floor (new advances pause below it)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("0.100"),
    )
    # Client risk (pooled payment history): thresholds of the indicator.
    risk_watch_on_time = models.DecimalField(
        _("on-time share below which a client is watched"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.80"),
    )
    risk_risky_on_time = models.DecimalField(
        _("on-time share below which a client is risky"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.50"),
    )
    risk_watch_days_late = models.PositiveSmallIntegerField(
        _("average days late from which a client is watched"), default=10
    )
    risk_risky_days_late = models.PositiveSmallIntegerField(
        _("average days late from which a client is risky"), default=30
    )
    source = models.CharField(_("decision"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guarantee policy")
        verbose_name_plural = _("guarantee policies")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(advance_share__gt=0, advance_share__lte=1),
                name="guarantee_policy_share_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(client_limit__gte=0, member_limit__gte=0, coverage_floor__gte=0),
                name="guarantee_policy_limits_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(delay_working_days__gte=1, delay_working_days__lte=60),
                name="guarantee_policy_delay_1_60",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}"

    @classmethod
    def in_force(cls, on: dt.date) -> GuaranteePolicy | None:
        return cls.objects.filter(valid_from__lte=on).order_by("-valid_from").first()


class ClientExclusion(models.Model):
    """Staff exclude a client from the guarantee (e.g. after a default), with a reason."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="guarantee_exclusions"
    )
    reason = models.CharField(_("reason"), max_length=300)
    excluded_on = models.DateField(_("excluded on"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client excluded from the guarantee")
        verbose_name_plural = _("clients excluded from the guarantee")
        ordering = ["-excluded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(lifted_on__isnull=True),
                name="guarantee_one_live_exclusion_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.reason}"


class SignedContract(models.Model):
    """Staff record that the client signed a contract for this invoice (outside the
    online quote acceptance): the invoice becomes eligible from ``signed_on``."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="guarantee_contract"
    )
    signed_on = models.DateField(_("signed on"))
    reference = models.CharField(_("reference of the signed contract"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract recorded as signed")
        verbose_name_plural = _("contracts recorded as signed")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.reference}"


class InvoiceDispute(models.Model):
    """A client disputes an invoice: while open, the invoice is not eligible.

    Collection (above this app) opens and closes disputes through
    ``services.dispute_open`` / ``dispute_close``.
    """

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="guarantee_disputes"
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice dispute")
        verbose_name_plural = _("invoice disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(closed_on__isnull=True),
                name="guarantee_one_open_dispute_per_invoice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.reason}"


class PayKind(models.TextChoices):
    REGULAR = "regular", _("Regular pay date")
    OFF_CYCLE = "off_cycle", _("Off-cycle pay")


class Advance(models.Model):
    """The fund advanced this invoice's budget: the source of its ledger entries.

    ``amount`` is what was advanced at first (share × (subtotal − contribution)),
    a fact of the document; what is still outstanding is a sum over the ledger
    lines of the entries whose source is this row. ``closed`` only marks that
    nothing more can happen to it (outstanding zero, invoice settled), so the
    daily job skips it.
    """

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="guarantee_advance"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    member_id_snapshot = models.BigIntegerField(null=True, blank=True, editable=False)
    advanced_on = models.DateField(_("advanced on"))
    share = models.DecimalField(_("share advanced"), max_digits=5, decimal_places=4)
    amount = models.DecimalField(_("amount advanced"), max_digits=14, decimal_places=2)
    pay_by = models.DateField(_("salary paid by"))
    pay_kind = models.CharField(_("paid on"), max_length=10, choices=PayKind.choices)
    #: The pay date of the activity's first payslip posted on or after the
    #: advance (``advances.salaries_paid``, a payroll hook): the delay members
    #: see on the fund page is the one observed, not the one promised.
    salary_paid_on = models.DateField(_("salary paid on"), null=True, blank=True)
    #: Adjustment entries posted so far (settlements, claw-backs): the next key's number.
    adjustments = models.PositiveIntegerField(default=0, editable=False)
    closed = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guarantee advance")
        verbose_name_plural = _("guarantee advances")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="advance_amount_gt_0")
        ]
        indexes = [
            models.Index(fields=["closed"], condition=models.Q(closed=False), name="advance_open")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount}"


class Loss(models.Model):
    """An unpaid amount written off, and who bore it (the fund or the activity)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="guarantee_losses")
    on = models.DateField(_("written off on"))
    amount = models.DecimalField(
        _("amount written off (taxes included)"), max_digits=14, decimal_places=2
    )
    tax_adjustment = models.DecimalField(_("sales tax adjustment"), max_digits=14, decimal_places=2)
    fund_part = models.DecimalField(_("borne by the fund"), max_digits=14, decimal_places=2)
    activity_part = models.DecimalField(_("borne by the activity"), max_digits=14, decimal_places=2)
    coop_part = models.DecimalField(_("borne by the co-op"), max_digits=14, decimal_places=2)
    eligible = models.BooleanField(_("covered by the guarantee"))
    sequence = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loss")
        verbose_name_plural = _("losses")
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "sequence"], name="loss_unique_sequence"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="loss_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount}"


class GuaranteeRun(models.Model):
    """One row per date the daily job ran, and the lock row it holds (``on`` = 0001-01-01)."""

    on = models.DateField(unique=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    result = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("guarantee job run")
        verbose_name_plural = _("guarantee job runs")

    def __str__(self) -> str:
        return f"{self.on}"
