"""Quotes (contracts for services) and the client's decision on them.

A member drafts a quote for one of their activities and a client; the co-op
is the legal supplier. Staff validate it unless the member is trusted for
that client; the client accepts or refuses it online through a signed link.
The decision is a row of its own (one per quote, enforced by the database)
holding the SHA-256 of the exact PDF the client saw; once a quote is sent its
content is frozen, and once accepted it never changes again.

The contract clauses follow the Civil Code's contract for services (CCQ arts.
2098–2129): the client may cancel at any time and then owes the work done and
the costs incurred (arts. 2125, 2129); the provider may withdraw only for a
serious reason (art. 2126).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from maille.clients.models import Client
from maille.core.money import ZERO, round_half_up
from maille.members.models import Activity, Member
from maille.taxes.sales import Treatment


class Unit(models.TextChoices):
    HOUR = "hour", _("hour")
    DAY = "day", _("day")
    UNIT = "unit", _("unit")
    FLAT = "flat", _("flat fee")
    WORD = "word", _("word")


#: How a line is taxed: the tax rules' own enum (``taxes.Treatment``), with its labels.
TAX_TREATMENT_CHOICES = [
    (Treatment.STANDARD.value, _("taxable")),
    (Treatment.ZERO_RATED.value, _("zero-rated")),
    (Treatment.EXEMPT.value, _("exempt")),
]


class IpOption(models.TextChoices):
    ASSIGNMENT = "assignment", _("Rights assigned to the client once paid in full")
    EXCLUSIVE_LICENCE = "exclusive", _("Exclusive licence to the client for the agreed use")
    LICENCE = "licence", _("Non-exclusive licence to the client; the author keeps the rights")


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting validation")
    APPROVED = "approved", _("Validated")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled by the client")
    # A quote the member took back ("Retirée"), not a member who resigned.
    WITHDRAWN = "withdrawn", pgettext_lazy("quote status", "Withdrawn")


class Quote(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("activity")
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("client")
    )
    author = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("member")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    language = models.CharField(_("language"), max_length=2, default="fr")
    title = models.CharField(_("title"), max_length=200)
    quote_date = models.DateField(_("quote date"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    start_date = models.DateField(_("start of work"), null=True, blank=True)
    end_date = models.DateField(_("end of work"), null=True, blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    payment_term_days = models.PositiveSmallIntegerField(_("payment term (days)"))
    late_interest_rate = models.DecimalField(
        _("late interest (% a year)"), max_digits=5, decimal_places=2
    )
    ip_option = models.CharField(
        _("intellectual property"),
        max_length=10,
        choices=IpOption.choices,
        default=IpOption.ASSIGNMENT,
    )
    extra_clauses = models.TextField(_("additional clauses"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The exact PDF put before the client, frozen when the quote is sent.
    document_pdf = models.BinaryField(null=True, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Changing the nonce revokes every link given out so far.
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancellation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["document_pdf"])

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-quote_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in QuoteStatus]),
                name="quote_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(late_interest_rate__gte=0, late_interest_rate__lte=60),
                name="quote_interest_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("quote_date")),
                name="quote_valid_after_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "quote_date"])]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == QuoteStatus.DRAFT

    @property
    def is_expired(self) -> bool:
        return self.status == QuoteStatus.SENT and self.valid_until < timezone.localdate()

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), ZERO)


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.HOUR)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    tax_treatment = models.CharField(
        _("tax"), max_length=10, choices=TAX_TREATMENT_CHOICES, default=Treatment.STANDARD.value
    )
    treatment_reason = models.CharField(_("reason for no tax"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="quoteline_qty_pos"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="quoteline_price_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Decimal:
        return round_half_up(self.quantity * self.unit_price)


class QuoteMilestone(models.Model):
    """A part of the work to invoice separately (a share of the quote's subtotal)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("milestone"), max_length=200)
    percent = models.DecimalField(_("% of the quote"), max_digits=5, decimal_places=2)
    due_date = models.DateField(_("expected date"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gt=0, percent__lte=100), name="milestone_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.percent} %)"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class QuoteDecision(models.Model):
    """The client's acceptance or refusal, with its evidence. Never changed."""

    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    decided_at = models.DateTimeField()
    signer_name = models.CharField(_("name"), max_length=200)
    signer_role = models.CharField(_("role or title"), max_length=200)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=500, blank=True)
    document_sha256 = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("client decision")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=[d.value for d in Decision]),
                name="decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote.number}: {self.decision}"


class TrustedMember(models.Model):
    """A co-op setting: this member's quotes to this client need no staff validation."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="trusted_for")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="trusted_members")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trusted member for a client")
        verbose_name_plural = _("trusted members for clients")
        constraints = [
            models.UniqueConstraint(fields=["member", "client"], name="trusted_member_client")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.client}"
