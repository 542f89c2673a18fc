"""Joining, membership, shares and the board's decisions: the register's side
of governance (the package docstring says what the Act asks)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.core.models import Language, Province
from maille.ledger.models import JournalEntry
from maille.members.models import Member


def money_field(verbose: Any, **kw: Any) -> Any:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kw)


class MemberCategory(models.TextChoices):
    WORKER = "worker", _("Worker member")
    AUXILIARY = "auxiliary", _("Auxiliary member")


class Bylaws(models.Model):
    """The by-law settings in force from ``valid_from`` (Act ss. 40, 77, 83, 38)."""

    valid_from = models.DateField(_("in force from"), unique=True)
    share_price = money_field(_("price of a share"))
    qualifying_shares_worker = models.PositiveIntegerField(_("qualifying shares, worker member"))
    qualifying_shares_auxiliary = models.PositiveIntegerField(
        _("qualifying shares, auxiliary member")
    )
    instalments_allowed = models.BooleanField(_("qualifying shares payable in instalments"))
    instalment_months = models.PositiveSmallIntegerField(
        _("number of monthly instalments"), default=1
    )
    instalments_by_payroll = models.BooleanField(_("instalments deducted from pay"), default=True)
    instalments_by_transfer = models.BooleanField(_("instalments paid by transfer"), default=True)
    vote_requires_instalments_up_to_date = models.BooleanField(
        _("a member votes only with instalments up to date"), default=True
    )
    notice_days = models.PositiveSmallIntegerField(_("notice of a general meeting (days)"))
    quorum_percent = models.DecimalField(
        _("quorum of a general meeting (% of members)"), max_digits=5, decimal_places=2
    )
    redemption_allowed = models.BooleanField(_("shares redeemed on withdrawal"), default=True)
    redemption_min_years = models.PositiveSmallIntegerField(
        _("years of membership before a redemption"), default=0
    )
    exclusion_hearing_days = models.PositiveSmallIntegerField(
        _("notice of the hearing before an exclusion (days)"), default=10
    )
    fiscal_year_end_month = models.PositiveSmallIntegerField(_("month the fiscal year ends"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("by-law settings")
        verbose_name_plural = _("by-law settings")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_price__gt=0), name="bylaws_share_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_percent__gte=0, quorum_percent__lte=100),
                name="bylaws_quorum_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year_end_month__gte=1, fiscal_year_end_month__lte=12),
                name="bylaws_year_end_month",
            ),
            models.CheckConstraint(
                condition=models.Q(instalment_months__gte=1), name="bylaws_instalment_months"
            ),
        ]

    def __str__(self) -> str:
        return str(_("By-laws from %(date)s") % {"date": self.valid_from})

    def qualifying_shares(self, category: str) -> int:
        if category == MemberCategory.AUXILIARY:
            return self.qualifying_shares_auxiliary
        return self.qualifying_shares_worker


class DecisionKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    REFUSAL = "refusal", _("Refusal of an application")
    EXCLUSION = "exclusion", _("Exclusion")
    REDEMPTION = "redemption", _("Redemption of shares")
    TRANSFER = "transfer", _("Transfer of shares")
    MEETING = "meeting", _("Call of a general meeting")
    OTHER = "other", _("Other")


class BoardDecision(models.Model):
    """A decision of the board, dated, with the directors present."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    text = models.TextField(_("decision and reasons"))
    directors_present = models.ManyToManyField(
        Member, related_name="board_decisions", verbose_name=_("directors present")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("board decision")
        verbose_name_plural = _("board decisions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by an adviser")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")


class Application(models.Model):
    """A person's application to join, from the public form."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    postal_code = models.CharField(_("postal code"), max_length=10)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.FRENCH
    )
    category = models.CharField(
        _("category"), max_length=10, choices=MemberCategory.choices, default=MemberCategory.WORKER
    )
    activity_planned = models.TextField(_("activity planned"))
    heard_from = models.CharField(_("how you heard of the co-op"), max_length=200, blank=True)
    # Law 25 (P-39.1): consent separate, specific, recorded with its moment.
    consent_at = models.DateTimeField(_("consent to the processing of personal information"))
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    adviser_notes = models.TextField(_("adviser's notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.OneToOneField(
        BoardDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.submitted_at:%Y-%m-%d})"


class WithdrawalKind(models.TextChoices):
    RESIGNATION = "resignation", _("Resignation")
    EXCLUSION = "exclusion", _("Exclusion by the board")


class Membership(models.Model):
    """The member's line of the register (s. 124): category and dates."""

    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="membership")
    category = models.CharField(_("category"), max_length=10, choices=MemberCategory.choices)
    admitted_on = models.DateField(_("admitted on"))
    withdrawal_requested_on = models.DateField(_("resignation requested on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_kind = models.CharField(
        _("how they left"), max_length=12, choices=WithdrawalKind.choices, blank=True
    )
    withdrawal_reason = models.TextField(_("reasons"), blank=True)
    hearing_on = models.DateField(_("hearing given on"), null=True, blank=True)
    # Exclusion: when the member was notified of the hearing; the by-laws give
    # them ``Bylaws.exclusion_hearing_days`` of notice before it.
    hearing_notice_on = models.DateField(_("notified of the hearing on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["member__number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("admitted_on")),
                name="membership_withdrawn_after_admitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.admitted_on})"

    def is_member_on(self, day: object) -> bool:
        return self.admitted_on <= day and (  # type: ignore[operator]
            self.withdrawn_on is None or self.withdrawn_on > day  # type: ignore[operator]
        )


class MovementKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    PAYMENT = "payment", _("Payment")
    REDEMPTION = "redemption", _("Redemption")
    REPAYMENT = "repayment", _("Repayment")
    TRANSFER_OUT = "transfer_out", _("Transfer to another member")
    TRANSFER_IN = "transfer_in", _("Transfer from another member")
    RISTOURNE = "ristourne", _("Ristourne paid in shares")
    # A payment matched to a bank line and then unmatched: the payment is undone.
    PAYMENT_UNDONE = "payment_back", _("Payment undone")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    PAYROLL = "payroll", _("Deducted from pay")
    CHEQUE = "cheque", _("Cheque")


class ShareMovement(models.Model):
    """One dated event of a member's shares; the register and the ledger both
    come from these rows (each has its own journal entry, whose source it is)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="share_movements")
    kind = models.CharField(_("kind"), max_length=12, choices=MovementKind.choices)
    date = models.DateField(_("date"))
    shares = models.PositiveIntegerField(_("shares"), default=0)
    amount = money_field(_("amount"), default=Decimal("0.00"))
    # A redemption of shares not fully paid cancels what was still owed on them.
    unpaid_cancelled = money_field(_("unpaid amount cancelled"), default=Decimal("0.00"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices, blank=True)
    counterpart = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.ForeignKey(
        BoardDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A payment undone names the payment it undoes (at most once).
    counterpart_movement = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A payment withheld from pay names its payslip: one per payslip, so a run
    # posted again after a crash pays nothing twice.
    payslip = models.ForeignKey(
        "payroll.Payslip",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payslip"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("share movement")
        verbose_name_plural = _("share movements")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, unpaid_cancelled__gte=0),
                name="share_movement_amounts_positive",
            ),
            models.UniqueConstraint(
                fields=["payslip", "kind"],
                condition=models.Q(payslip__isnull=False),
                name="share_movement_once_per_payslip",
            ),
        ]
        indexes = [models.Index(fields=["member", "date"], name="share_movement_member")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.date} {self.kind} {self.shares} {self.amount}"
