"""Expense claims (a member paid, the co-op reimburses) and purchases (a supplier
invoice the co-op pays), with their receipts and the dated rules they follow.

A claim is made on one of the member's activities: a receipt (an amount, taxes
included, with the GST/HST and QST it shows) or a mileage log line (kilometres
at the dated per-kilometre rate). The recoverable taxes (input tax credits and
refunds) are computed once, when the claim is made, from the dated
``ExpenseRules`` in force on its date, and stored on the claim: approving it
posts exactly those figures (``maille/expenses/rules.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.core.crypto import EncryptedTextField, mask
from maille.core.models import Province
from maille.members.models import Activity, Member
from maille.payroll.models import BankFile


class ExpenseRules(models.Model):
    """The figures expense claims follow, in force from ``valid_from`` (history kept).

    quebec-operations.md §7: per-kilometre rates 2026 73 ¢ for the first
    5 000 km, 67 ¢ after (2025: 72/66); meals and entertainment give 50 % of
    their ITC/ITR (ETA s. 236; QST s. 457.1); the supplier's registration
    numbers are needed from 100 $ (quebec-2026.md §1, invoice mentions).
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    km_rate_first = models.DecimalField(
        _("rate per km, first kilometres of the year"), max_digits=5, decimal_places=4
    )
    km_rate_after = models.DecimalField(
        _("rate per km after the threshold"), max_digits=5, decimal_places=4
    )
    km_threshold = models.PositiveIntegerField(_("kilometres at the first rate per year"))
    meals_credit_share = models.DecimalField(
        _("share of meal taxes recovered"), max_digits=4, decimal_places=3
    )
    registration_threshold = models.DecimalField(
        _("amount from which registration numbers are required"), max_digits=10, decimal_places=2
    )
    #: CPA Standard 007: 452 "expense payment" (230 is "pension"), 460 "accounts
    #: payable" (quebec-operations.md §1; [check] with the co-op's bank).
    reimbursement_code = models.CharField(
        _("CPA-005 transaction code for reimbursements"), max_length=3, default="452"
    )
    supplier_payment_code = models.CharField(
        _("CPA-005 transaction code for supplier payments"), max_length=3, default="460"
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense rules")
        verbose_name_plural = _("expense rules")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(km_rate_first__gt=0, km_rate_after__gt=0),
                name="expense_rules_km_rates_gt_0",
            ),
            models.CheckConstraint(
                condition=models.Q(meals_credit_share__gte=0, meals_credit_share__lte=1),
                name="expense_rules_meals_share_0_1",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Expense rules from %(date)s") % {"date": self.valid_from})

    @classmethod
    def in_force(cls, date: dt.date) -> ExpenseRules | None:
        return cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()


class Category(models.TextChoices):
    SOFTWARE = "software", _("Software and subscriptions")
    MATERIALS = "materials", _("Materials and supplies")
    EQUIPMENT = "equipment", _("Equipment")
    TRAVEL = "travel", _("Travel (transport, lodging)")
    MEALS = "meals", _("Meals and entertainment")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")
    MILEAGE = "mileage", _("Mileage")


class ClaimKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    MILEAGE = "mileage", _("Mileage")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved, to reimburse")
    IN_BANK_FILE = "in_bank_file", _("In a bank file")
    PAID = "paid", _("Reimbursed")
    RETURNED = "returned", _("Returned")


class Receipt(models.Model):
    """A receipt or supplier invoice file, checked by its content when uploaded."""

    file = models.FileField(_("file"), upload_to="receipts/%Y/", max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("fingerprint"), max_length=64)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    #: Kept 6 years after the year concerned (quebec-operations.md §7).
    keep_until = models.DateField(_("kept until"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    #: The day the retention job deleted the file (the row and its figures stay).
    purged_on = models.DateField(_("file deleted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        indexes = [models.Index(fields=["keep_until"], name="receipt_keep_until")]

    def __str__(self) -> str:
        return self.file.name or ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TaxFigures(models.Model):
    """What a receipt or supplier invoice says and what the co-op recovers from it."""

    date = models.DateField(_("date"))
    supplier = models.CharField(_("supplier"), max_length=200)
    supplier_province = models.CharField(
        _("supplier's province"), max_length=2, choices=Province.choices, default="QC"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    amount = models.DecimalField(_("amount, taxes included"), max_digits=12, decimal_places=2)
    gst_hst = models.DecimalField(_("GST/HST"), max_digits=12, decimal_places=2, default=0)
    qst = models.DecimalField(_("QST"), max_digits=12, decimal_places=2, default=0)
    supplier_gst_number = models.CharField(
        _("supplier's GST/HST number"), max_length=15, blank=True
    )
    supplier_qst_number = models.CharField(_("supplier's QST number"), max_length=16, blank=True)
    #: Input tax credit (GST/HST) and refund (QST) the co-op claims.
    itc = models.DecimalField(_("ITC (GST/HST recovered)"), max_digits=12, decimal_places=2)
    itr = models.DecimalField(_("ITR (QST recovered)"), max_digits=12, decimal_places=2)
    credit_note = models.CharField(_("why the credits are reduced"), max_length=300, blank=True)
    receipt = models.OneToOneField(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def net_cost(self) -> Decimal:
        """What the activity bears: the amount less the taxes the co-op recovers."""
        return self.amount - self.itc - self.itr


class ExpenseClaim(TaxFigures):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="expense_claims")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="expense_claims")
    kind = models.CharField(_("kind"), max_length=10, choices=ClaimKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    # Mileage: the kilometres at each rate of the year (5 000 km per member).
    km = models.DecimalField(_("kilometres"), max_digits=7, decimal_places=1, null=True, blank=True)
    km_first = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    km_after = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    km_rate_first = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    km_rate_after = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    origin = models.CharField(_("from"), max_length=200, blank=True)
    destination = models.CharField(_("to"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    # Decisions.
    returned_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    budget_exception = models.CharField(_("budget exception (staff)"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    bank_file = models.ForeignKey(
        BankFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expense_claims",
    )
    paid_on = models.DateField(_("reimbursed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_gt_0"),
            models.CheckConstraint(
                condition=models.Q(gst_hst__gte=0, qst__gte=0, itc__gte=0, itr__gte=0),
                name="expense_taxes_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(itc__lte=models.F("gst_hst"), itr__lte=models.F("qst")),
                name="expense_credits_within_taxes",
            ),
            models.CheckConstraint(
                condition=models.Q(gst_hst__lt=models.F("amount") - models.F("qst")),
                name="expense_taxes_below_amount",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="mileage") | models.Q(km__gt=0) & ~models.Q(purpose=""),
                name="expense_mileage_has_km_and_purpose",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date"]),
            models.Index(fields=["member", "kind", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.supplier} {self.amount}"

    @property
    def reference(self) -> str:
        """The bank file's cross-reference (19 characters at most)."""
        return f"MAILLEX{self.pk}"


class PurchaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approvals")
    APPROVED = "approved", _("Approved, to pay")
    IN_BANK_FILE = "in_bank_file", _("In a bank file")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")


class Purchase(TaxFigures):
    """A supplier invoice for an activity (or for COOP), paid by the co-op.

    It needs two approvals: a member who owns the activity (none for COOP)
    and staff; the second one posts it to the ledger.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="supplier_invoices"
    )
    invoice_number = models.CharField(_("supplier's invoice number"), max_length=50)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PurchaseStatus.choices, default=PurchaseStatus.SUBMITTED
    )
    member_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member_approved_at = models.DateTimeField(null=True, blank=True)
    staff_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff_approved_at = models.DateTimeField(null=True, blank=True)
    refused_reason = models.CharField(_("reason for refusing"), max_length=500, blank=True)
    budget_exception = models.CharField(_("budget exception (staff)"), max_length=300, blank=True)
    #: ``institution-transit-account``: when given, the co-op pays the supplier
    #: with the next bank file (encrypted at rest like members' accounts).
    supplier_bank_account = EncryptedTextField(_("supplier's bank account"), blank=True)
    bank_file = models.ForeignKey(
        BankFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplier_payments",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="purchase_amount_gt_0"),
            models.CheckConstraint(
                condition=models.Q(itc__lte=models.F("gst_hst"), itr__lte=models.F("qst")),
                name="purchase_credits_within_taxes",
            ),
            models.UniqueConstraint(
                fields=["supplier", "invoice_number"],
                condition=~models.Q(status="refused"),
                name="purchase_one_per_supplier_invoice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.invoice_number}"

    @property
    def reference(self) -> str:
        """The bank file's cross-reference (19 characters at most)."""
        return f"MAILLEA{self.pk}"

    @property
    def supplier_bank_account_masked(self) -> str:
        return mask(self.supplier_bank_account, visible=4, group=0)
