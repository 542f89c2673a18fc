"""Invoices, credit notes and the mutualized contribution policy.

An invoice is a draft until staff issue it. Issuing gives it its number (a
gapless sequence per series and year), computes and *stores* its taxes
(``InvoiceTax``) and snapshots the buyer and seller as printed, then posts
it to the ledger. From then on the invoice never changes: a correction is a
credit note (an ``Invoice`` of kind ``credit_note`` pointing at the invoice
it corrects), which reverses the stored taxes exactly.

An invoice is either to a client or *internal*: from one activity of the
co-op to another (no tax, no contribution).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.clients.models import Client
from maille.contracts.models import TAX_TREATMENT_CHOICES, Quote, Unit
from maille.contracts.tax_labels import REGIME_NAMES, place_name
from maille.core.models import Province
from maille.core.money import ZERO, round_half_up
from maille.members.models import Activity, Member
from maille.taxes.sales import AbroadDecision, Treatment


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    """Derived, never set by hand: ``settlement.invoice_settlement_refresh`` moves
    it from the payments allocated, the credit notes and the write-offs."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    WRITTEN_OFF = "written_off", _("Written off")


# An issued invoice the client still owes something on.
OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID)


class QuoteMode(models.TextChoices):
    NONE = "", _("No accepted quote")
    WHOLE = "whole", _("Whole quote")
    DEPOSIT = "deposit", _("Deposit")
    MILESTONE = "milestone", _("Milestone")
    BALANCE = "balance", _("Balance of the quote")
    FINAL = "final", _("Final invoice after cancellation")


#: Staff's decision for a client abroad: the tax rules' own enum (``taxes.AbroadDecision``).
ABROAD_DECISION_CHOICES = [
    (AbroadDecision.UNDECIDED.value, _("Not decided")),
    (AbroadDecision.ZERO_RATED.value, _("Zero-rated (exported service)")),
    (AbroadDecision.TAXABLE.value, _("Taxable (supplied in Canada)")),
]


SERIES = {"invoice": "F", "credit_note": "NC", "internal": "INT"}


class Invoice(models.Model):
    # Codes shown in words in the change history (core.audit).
    AUDIT_VALUE_LABELS = {"regime": REGIME_NAMES, "place_of_supply": place_name}

    kind = models.CharField(
        _("kind"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    status = models.CharField(
        _("status"), max_length=14, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    number = models.CharField(_("number"), max_length=20, null=True, blank=True, unique=True)
    series = models.CharField(max_length=4, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)

    # No index of its own (nor the client's): (activity, issue_date) and
    # (client, issue_date) below lead with them, and each index is one more
    # write whenever a payment settles the invoice.
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("activity"),
        db_index=False,
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("member"),
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("client"),
        db_index=False,
    )
    buyer_activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchases",
        verbose_name=_("buying activity"),
    )
    quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("quote"),
    )
    quote_mode = models.CharField(max_length=10, choices=QuoteMode.choices, blank=True)
    # Snapshot at issue: an invoice backed by an accepted quote may later be
    # covered by the guarantee fund.
    has_accepted_quote = models.BooleanField(_("backed by an accepted quote"), default=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("corrected invoice"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    #: The ledger's revenue account credited with the subtotal; blank: Revenue
    #: (4000). The co-op's own sales name theirs (a guest's booking of a shared
    #: space: Space income, 4200). A credit note reverses on its invoice's account.
    revenue_account = models.CharField(_("revenue account"), max_length=10, blank=True)

    language = models.CharField(_("language"), max_length=2, default="fr")
    title = models.CharField(_("title"), max_length=200, blank=True)
    client_reference = models.CharField(_("client's reference (PO)"), max_length=100, blank=True)
    notes = models.TextField(_("notes printed on the invoice"), blank=True)
    issue_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    payment_term_days = models.PositiveSmallIntegerField(_("payment term (days)"), default=30)
    late_interest_rate = models.DecimalField(
        _("late interest (% a year)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    abroad_decision = models.CharField(
        _("tax for a client abroad"), max_length=10, choices=ABROAD_DECISION_CHOICES, blank=True
    )
    #: The province where the supply is made when it is not the client's: a
    #: desk or a room rented is supplied where the property is (ETA Sch. IX
    #: Part II; GST/HST Memorandum 19.4.1, reference quebec-operations.md §11),
    #: so coworking names its site's province. Blank: the client's province.
    supply_province = models.CharField(
        _("province of supply"), max_length=2, choices=Province.choices, blank=True
    )
    place_of_supply = models.CharField(_("place of supply"), max_length=8, blank=True)
    regime = models.CharField(max_length=10, blank=True)

    subtotal = models.DecimalField(_("subtotal"), default=ZERO, max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("taxes"), default=ZERO, max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), default=ZERO, max_digits=14, decimal_places=2)
    contribution = models.DecimalField(
        _("mutualized contribution"), default=ZERO, max_digits=14, decimal_places=2
    )
    fund_share = models.DecimalField(
        _("guarantee fund share"), default=ZERO, max_digits=14, decimal_places=2
    )

    # What was printed, frozen at issue.
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_address = models.CharField(max_length=400, blank=True)
    buyer_gst = models.CharField(max_length=15, blank=True)
    buyer_qst = models.CharField(max_length=16, blank=True)
    buyer_country = models.CharField(max_length=2, blank=True)
    seller_gst = models.CharField(max_length=15, blank=True)
    seller_qst = models.CharField(max_length=16, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("viewed by the client"), null=True, blank=True)
    # Caches of sums kept by ``settlement.invoice_settlement_refresh`` in the
    # transaction that changes them (payments allocated net of reversals;
    # write-offs), so lists and balances read one row. ``maille payments
    # verify`` recomputes them from the allocations.
    amount_paid = models.DecimalField(
        _("paid"), default=ZERO, max_digits=14, decimal_places=2, editable=False
    )
    amount_written_off = models.DecimalField(
        _("written off"), default=ZERO, max_digits=14, decimal_places=2, editable=False
    )
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in InvoiceKind]),
                name="invoice_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in InvoiceStatus]),
                name="invoice_status_valid",
            ),
            # To a client, or internal to another activity: exactly one.
            models.CheckConstraint(
                condition=models.Q(client__isnull=False, buyer_activity__isnull=True)
                | models.Q(client__isnull=True, buyer_activity__isnull=False),
                name="invoice_one_buyer",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="credit_note") | models.Q(corrects__isnull=False),
                name="credit_note_corrects_an_invoice",
            ),
            # An issued document has its number, date and a positive total.
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(
                    number__isnull=False,
                    issue_date__isnull=False,
                    sequence__isnull=False,
                    total__gt=0,
                ),
                name="invoice_issued_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(subtotal__gte=0, tax_total__gte=0),
                name="invoice_amounts_nonneg",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_paid__gte=0, amount_written_off__gte=0)
                & models.Q(amount_paid__lte=models.F("total")),
                name="invoice_settled_within_total",
            ),
            models.UniqueConstraint(
                fields=["series", "year", "sequence"], name="invoice_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "issue_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["client", "issue_date"]),
            models.Index(fields=["activity", "issue_date"]),
            models.Index(fields=["-issue_date", "-id"], name="invoice_list_order"),
            # The list's totals over a period read this index alone (PostgreSQL
            # index-only scan); elsewhere it is a plain index on the date.
            models.Index(
                fields=["issue_date"],
                include=["kind", "status", "subtotal", "tax_total", "total"],
                name="invoice_period_totals",
            ),
            # Overdue invoices are few among millions: a partial index finds them.
            models.Index(
                fields=["due_date"],
                include=["kind", "status", "subtotal", "tax_total", "total"],
                condition=models.Q(status__in=["issued", "partially_paid"], kind="invoice"),
                name="invoice_open_due",
            ),
            models.Index(
                fields=["-id"],
                include=["kind", "status", "subtotal", "tax_total", "total"],
                condition=models.Q(status="draft"),
                name="invoice_drafts",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("invoicing:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_internal(self) -> bool:
        return self.buyer_activity_id is not None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def signed_total(self) -> Decimal:
        """The total as it counts in a list's sum: a credit note is negative."""
        return -self.total if self.is_credit_note else self.total

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in OPEN_STATUSES
            and not self.is_credit_note
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def days_overdue(self) -> int:
        if not self.is_overdue or self.due_date is None:
            return 0
        return (timezone.localdate() - self.due_date).days


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.HOUR)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    tax_treatment = models.CharField(
        _("tax"), max_length=10, choices=TAX_TREATMENT_CHOICES, default=Treatment.STANDARD.value
    )
    treatment_reason = models.CharField(_("reason for no tax"), max_length=200, blank=True)
    credited_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credits"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="invline_qty_pos"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="invline_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return self.description


class InvoiceTax(models.Model):
    """A tax as computed and printed on an issued invoice, stored so it never drifts."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="taxes")
    code = models.CharField(max_length=3)  # GST, QST, HST
    jurisdiction = models.CharField(max_length=2)
    rate = models.DecimalField(max_digits=7, decimal_places=5)
    base = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "code"], name="invoice_tax_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"

    @classmethod
    def of(cls, tax: Any) -> InvoiceTax:
        """The row of a computed tax (``taxes.TaxAmount``) or a copy of a stored one."""
        return cls(
            **{f: getattr(tax, f) for f in ("code", "jurisdiction", "rate", "base", "amount")}
        )

    @property
    def percent(self) -> Decimal:
        return Decimal(format((self.rate * 100).normalize(), "f"))


class ContributionPolicy(models.Model):
    """The mutualized contribution rate and the guarantee fund's share, by date.

    ``rate`` is a fraction of the invoice subtotal (0.065 = 6.5 %);
    ``fund_share`` the fraction of that contribution that goes to ``FONDS``.
    The policy in force on the invoice date applies. Set by the board.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    rate = models.DecimalField(_("contribution rate"), max_digits=6, decimal_places=5)
    fund_share = models.DecimalField(
        _("share of the contribution to the guarantee fund"), max_digits=6, decimal_places=5
    )
    source = models.CharField(_("decision"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution policy")
        verbose_name_plural = _("contribution policies")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=1, fund_share__gte=0, fund_share__lte=1),
                name="contribution_policy_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate * 100} % from {self.valid_from}"

    @classmethod
    def on(cls, date: dt.date) -> ContributionPolicy | None:
        return cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()

    def contribution_on(self, subtotal: Decimal) -> tuple[Decimal, Decimal]:
        """The contribution on an invoice subtotal and the guarantee fund's share of it,
        each rounded half-up to the cent (issuing, demo data)."""
        contribution = contribution_on(subtotal, self.rate)
        return contribution, round_half_up(contribution * self.fund_share)


def contribution_on(subtotal: Decimal, rate: Decimal) -> Decimal:
    """The mutualized contribution on an invoice subtotal at ``rate``, rounded half-up to
    the cent: the one rule, for issuing and for the salary simulator."""
    return round_half_up(subtotal * rate)


class InvoicingSettings(models.Model):
    """The co-op's invoicing rules that change by decision, by date.

    ``max_backdating_days``: how many days before today an invoice or credit
    note may still be dated when issued (an issue date is never in the future,
    never in a closed month, never before the latest issued date of its series).
    Without a row in force, the field's default applies.
    """

    DEFAULT_MAX_BACKDATING_DAYS = 30  # ISSUE 8: the co-op may change it, by date

    valid_from = models.DateField(_("valid from"), unique=True)
    max_backdating_days = models.PositiveSmallIntegerField(
        _("days an issue date may precede today"),
        default=DEFAULT_MAX_BACKDATING_DAYS,
        validators=[MaxValueValidator(366)],
    )
    source = models.CharField(_("decision"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoicing settings")
        verbose_name_plural = _("invoicing settings")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_backdating_days__lte=366),
                name="invoicing_settings_backdating_sane",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Invoicing settings from %(date)s") % {"date": self.valid_from})

    @classmethod
    def on(cls, date: dt.date) -> InvoicingSettings:
        """The settings in force on ``date`` (the defaults when none is recorded)."""
        found = cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()
        return found or cls(valid_from=date)
