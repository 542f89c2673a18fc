"""The ledger: one double-entry journal that every cent of the co-op goes through.

An ``Account`` is a line of the chart of accounts; a ``JournalEntry`` is one
posted event (an invoice, a payment, a pay run…) made of ``JournalLine`` rows,
each on one account and one activity (the analytic dimension), debit positive
and credit negative. The lines of an entry sum to zero.

Posted entries never change: a correction is a new entry that ``reverses`` the
first. The database holds these rules as well as the services (migration
``0003_ledger_triggers``): lines that do not balance, updates and deletes of
posted rows, lines on closed accounts and entries in closed periods are
refused even when written past the ORM.

``Balance`` keeps running totals per (account, activity, month), written in the
same transaction as the lines, so balances and the trial balance are read
without scanning millions of lines. It is a cache: ``maille ledger verify``
recomputes it from the lines and reports any difference.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from maille.members.models import Activity


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    REVENUE = "revenue", _("Revenue")
    EXPENSE = "expense", _("Expense")


class Account(models.Model):
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{4,10}$", _("Four to ten digits."))],
    )
    name_fr = models.CharField(_("French name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150)
    type = models.CharField(_("type"), max_length=10, choices=AccountType.choices)
    # A closed account keeps its lines and history but takes no new posting.
    is_open = models.BooleanField(_("open for posting"), default=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ("code",)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(type__in=[t.value for t in AccountType]),
                name="ledger_account_type_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Period(models.Model):
    """A calendar month of the books. Without a row, a month is open."""

    month = models.DateField(_("month"), unique=True, help_text=_("First day of the month."))
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ("-month",)

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")


class PeriodAction(models.TextChoices):
    CLOSE = "close", _("Closed")
    REOPEN = "reopen", _("Reopened")


class PeriodEvent(models.Model):
    """Who closed or reopened a period, when, and why."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=PeriodAction.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.period} {self.action}"


class JournalEntry(models.Model):
    # Gapless: allocated from ``Counter`` in the posting transaction.
    number = models.PositiveBigIntegerField(_("number"), unique=True)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    source_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (source_type, source_id) index leads with it
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # How many lines the entry was posted with. The database checks the lines
    # against it, which is what lets SQLite (no deferred triggers) refuse an
    # unbalanced entry or a line added to a posted one.
    line_count = models.PositiveIntegerField(_("number of lines"))
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ("date", "number")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(line_count__gte=2), name="ledger_entry_has_lines"
            ),
        )
        indexes = (
            models.Index(fields=["date", "number"], name="ledger_entry_date"),
            models.Index(fields=["source_type", "source_id"], name="ledger_entry_source"),
        )

    def __str__(self) -> str:
        return f"{self.display_number} {self.description}"

    @property
    def display_number(self) -> str:
        return f"JE-{self.number:07d}"

    @property
    def source_url(self) -> str | None:
        if self.source_id is None:
            return None
        source = self.source
        get_url = getattr(source, "get_absolute_url", None)
        return str(get_url()) if get_url else None


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    # No index of their own: (account, date) and (activity, date) below lead
    # with them, and every index is one more write per line posted.
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="ledger_lines", db_index=False
    )
    # Debit positive, credit negative.
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The entry's date, repeated so that balances "as of" a date read one
    # index; the database checks it equals the entry's.
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ("date", "entry_id", "id")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(amount=Decimal(0)), name="ledger_line_not_zero"
            ),
        )
        indexes = (
            models.Index(fields=["activity", "date"], name="ledger_line_activity_date"),
            models.Index(fields=["account", "date"], name="ledger_line_account_date"),
            # The trial balance "as of" a day inside a month sums that month's lines.
            models.Index(fields=["date"], name="ledger_line_date"),
        )

    def __str__(self) -> str:
        return f"{self.account_id} {self.activity_id} {self.amount}"

    @property
    def debit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @property
    def credit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None


class Balance(models.Model):
    """Running total of the lines of one (account, activity, month)."""

    # Covered by the unique (account, activity, month) and (activity, month).
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", db_index=False)
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField()
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["account", "activity", "month"], name="ledger_balance_unique"
            ),
        )
        indexes = (models.Index(fields=["activity", "month"], name="ledger_balance_activity"),)

    def __str__(self) -> str:
        return f"{self.account_id} {self.activity_id} {self.month:%Y-%m} {self.amount}"


class Counter(models.Model):
    """Gapless number sequences. Taking the next number locks the row until commit."""

    name = models.CharField(max_length=30, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
