"""Client payments, the co-op's bank accounts, imported statement lines, reconciliations.

A ``Payment`` is money received from a client (or from a payer not yet known),
on one of the co-op's ``BankAccount``s. ``Allocation`` rows settle invoices of
that one client with it; what is not allocated is the client's credit, later
allocated to another invoice or given back as a ``Refund``. A reversal (a
bounced cheque, an NSF return) marks the payment reversed and posts reversing
entries: nothing is deleted, and what it had settled is owed again.

A ``StatementImport`` is one bank file; its ``BankLine`` rows are the bank's
transactions, each identified by a fingerprint (account, date, amount, bank
reference, normalised description) and its occurrence among identical ones,
unique per account: the same transaction never enters twice, whichever file
or format brings it. A line is matched to the ledger entry that accounts for
it (a payment's receipt, a pay run's transfer, a fee), proposed with a reason,
or left unmatched. A ``Reconciliation`` compares the bank's balance with the
ledger's on a date and, once done, locks the lines up to that date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.clients.models import Client
from maille.core.money import ZERO
from maille.invoicing.models import Invoice
from maille.ledger.models import Account, JournalEntry


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    INTERAC = "interac", _("Interac e-Transfer")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class BankAccount(models.Model):
    """One of the co-op's own bank accounts, and the ledger account that mirrors it."""

    name = models.CharField(_("name"), max_length=100)
    institution = models.CharField(
        _("institution"),
        max_length=3,
        validators=[RegexValidator(r"^[0-9]{3}$", _("Three digits."))],
    )
    transit = models.CharField(
        _("transit"), max_length=5, validators=[RegexValidator(r"^[0-9]{5}$", _("Five digits."))]
    )
    number = models.CharField(
        _("account number"),
        max_length=12,
        validators=[RegexValidator(r"^[0-9]{5,12}$", _("Five to twelve digits."))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    # The bank's balance before the first imported line (set by the first
    # import from the statement's opening balance): the bank side of every
    # reconciliation is this plus the lines up to the date.
    opening_balance = models.DecimalField(
        _("opening balance"), max_digits=14, decimal_places=2, default=ZERO
    )
    ledger_account = models.OneToOneField(
        Account,
        on_delete=models.PROTECT,
        related_name="bank_account",
        verbose_name=_("ledger account"),
    )
    # The column mapping of this bank's generic CSV export, saved at the first
    # import: {"date": 0, "amount": 3, "description": 1, "date_format": "%Y-%m-%d", …}.
    csv_mapping = models.JSONField(_("CSV column mapping"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=["institution", "transit", "number"], name="bank_account_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.institution}-{self.transit}-{self.number})"

    def get_absolute_url(self) -> str:
        return reverse("payments:bank_account", args=[self.pk])


class Payment(models.Model):
    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="payments", verbose_name=_("account")
    )
    # Unknown until someone recognises the payer: the money waits as a credit.
    # Indexed by payment_client_date, which leads with it.
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="payments",
        verbose_name=_("client"),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    memo = models.CharField(_("memo"), max_length=300, blank=True)

    reversed_on = models.DateField(_("reversed on"), null=True, blank=True)
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-date", "-id")
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=models.Q(method__in=[m.value for m in PaymentMethod]),
                name="payment_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(reversed_on__isnull=True) | ~models.Q(reversal_reason=""),
                name="payment_reversal_has_reason",
            ),
        )
        indexes = (
            models.Index(fields=["client", "date"], name="payment_client_date"),
            models.Index(fields=["date"], name="payment_date"),
        )

    def __str__(self) -> str:
        return f"P-{self.pk:06d}" if self.pk else "P-new"

    def get_absolute_url(self) -> str:
        return reverse("payments:detail", args=[self.pk])

    @property
    def is_reversed(self) -> bool:
        return self.reversed_on is not None


class Allocation(models.Model):
    """Part of a payment settling one invoice of the payment's client.

    ``with_receipt``: made when the payment was recorded, so posted in the
    receipt's entry; otherwise the client's credit applied later, posted on
    its own (``payments.postings``).
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    # Indexed by allocation_invoice_date, which leads with it.
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="allocations", db_index=False
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    with_receipt = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ("date", "id")
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive"),
        )
        indexes = (models.Index(fields=["invoice", "date"], name="allocation_invoice_date"),)

    def __str__(self) -> str:
        return f"{self.payment} → {self.invoice} {self.amount}"


class RefundMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer (next CPA-005 file)")
    CHEQUE = "cheque", _("Cheque")


class Refund(models.Model):
    """Part of a client's credit given back."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=10, choices=RefundMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # A transfer: the client's account (institution-transit-account) and name,
    # paid in the next CPA-005 file the co-op makes (payroll reads the refunds
    # pending with ``selectors.refunds_pending_transfer`` and marks them sent).
    payee_account = models.CharField(_("client's bank account"), max_length=30, blank=True)
    payee_name = models.CharField(_("payee"), max_length=100, blank=True)
    bank_file_number = models.PositiveIntegerField(_("CPA-005 file"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ("date", "id")
        constraints = (
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_positive"),
            models.CheckConstraint(
                condition=~models.Q(method="transfer") | ~models.Q(payee_account=""),
                name="refund_transfer_has_account",
            ),
        )

    def __str__(self) -> str:
        return f"{self.payment} ↩ {self.amount}"


class StatementFormat(models.TextChoices):
    OFX = "ofx", "OFX"
    QFX = "qfx", "QFX"
    CAMT053 = "camt053", "CAMT.053"
    CSV_DESJARDINS = "csv-desjardins", _("Desjardins CSV")
    CSV_RBC = "csv-rbc", _("RBC CSV")
    CSV = "csv", _("CSV (saved column mapping)")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class StatementImport(models.Model):
    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="imports", verbose_name=_("account")
    )
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(_("format"), max_length=16, choices=StatementFormat.choices)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    # Progress of a large file, read by the page's progress bar.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    suggested = models.PositiveIntegerField(_("suggested"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    opening_balance = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    closing_balance = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Opening + every line of the file − closing, when the file gives both
    # balances: not zero means the bank's statement does not add up (shown
    # at reconciliation; the file is imported all the same).
    difference = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # The file as uploaded, kept for the audit trail and for the import task.
    file = models.FileField(upload_to="bank-statements/%Y/%m/", blank=True)
    problems = models.JSONField(default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ("-created_at", "-id")
        constraints = (
            # A file already imported is recognised by its bytes.
            models.UniqueConstraint(
                fields=["bank_account", "sha256"],
                condition=models.Q(status="done"),
                name="statement_file_once",
            ),
        )

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("payments:import_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, 100 * self.done // self.total)


class LineStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("Unmatched")
    SUGGESTED = "suggested", _("Suggested")
    MATCHED = "matched", _("Matched")
    OTHER = "other", _("Something else")


class OtherKind(models.TextChoices):
    BANK_FEES = "fees", _("Bank fees")
    INTEREST = "interest", _("Interest")
    TRANSFER = "transfer", _("Transfer between the co-op's accounts")
    SHARES = "shares", _("A member's share payment")


class MatchKind(models.TextChoices):
    EXPECTED = "expected", _("A movement the ledger expected")
    INVOICES = "invoices", _("A client's payment")
    OTHER = "other", _("Something else")


class BankLine(models.Model):
    # Indexed by bank_line_date, bank_line_queue and bank_line_once, which lead with it.
    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    statement = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="bank_lines"
    )
    date = models.DateField(_("date"))
    # Signed as the bank shows it: a deposit positive, a withdrawal negative.
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=500, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=100, blank=True)
    remittance = models.CharField(_("remittance information"), max_length=500, blank=True)
    fingerprint = models.CharField(max_length=64)
    # The n-th line with this fingerprint on the account: two genuine identical
    # deposits on one day are occurrences 1 and 2 (the multiset rule).
    occurrence = models.PositiveIntegerField(default=1)

    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.UNMATCHED
    )
    # The ledger entry that accounts for this line: a payment's receipt, a pay
    # run's transfer, a fee… One line per entry (the unique constraint is what
    # makes two staff confirming the same match at once: one wins).
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_line"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_lines"
    )
    # How it was matched: to a movement the ledger expected, by creating a
    # payment for invoices, or as something else (fees, interest…).
    match_kind = models.CharField(max_length=10, choices=MatchKind.choices, blank=True)
    other_kind = models.CharField(max_length=10, choices=OtherKind.choices, blank=True)
    # A proposal: [{"invoice": id, "amount": "12.34"}, …] or {"payment": id}, and why.
    proposal = models.JSONField(default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change of status: a confirm names the version it saw.
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank line")
        verbose_name_plural = _("bank lines")
        ordering = ("date", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["bank_account", "fingerprint", "occurrence"], name="bank_line_once"
            ),
            models.CheckConstraint(condition=~models.Q(amount=0), name="bank_line_not_zero"),
            models.CheckConstraint(
                condition=~models.Q(status="matched") | models.Q(entry__isnull=False),
                name="bank_line_matched_has_entry",
            ),
        )
        indexes = (
            models.Index(fields=["bank_account", "status", "date"], name="bank_line_queue"),
            models.Index(fields=["bank_account", "date"], name="bank_line_date"),
        )

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.description[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("payments:line", args=[self.pk])


class Reconciliation(models.Model):
    """The bank's balance against the ledger's, up to a date; locks the lines up to it."""

    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="reconciliations"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    bank_opening = models.DecimalField(_("bank opening balance"), max_digits=14, decimal_places=2)
    bank_closing = models.DecimalField(_("bank closing balance"), max_digits=14, decimal_places=2)
    ledger_balance = models.DecimalField(_("ledger balance"), max_digits=14, decimal_places=2)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reconciled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ("-period_end",)
        constraints = (
            models.UniqueConstraint(
                fields=["bank_account", "period_end"], name="reconciliation_once"
            ),
        )

    def __str__(self) -> str:
        return f"{self.bank_account} {self.period_start} – {self.period_end}"

    @property
    def difference(self) -> Decimal:
        return self.bank_closing - self.ledger_balance
