"""Collection: the dunning policy, case files per client, and what happens on them.

- ``DunningPolicy`` (dated, admins edit) and its ``DunningStep`` rows: after
  the due date, which step on which day, by which channel, with which text in
  French and English; the contact window and the daily run time.
- ``LegalParameters`` (dated): the legal interest rate, the small-claims
  ceiling and headcount limit, the prescription delay — law that changes.
- ``CollectionCase``: one per client, all their overdue invoices across
  members; ``InvoiceDunning`` is one overdue invoice's progress through the
  steps; ``Reminder`` one step done (or queued for the next contact window),
  unique per invoice and step, which is what makes the daily job idempotent.
- ``CaseEvent``: the timeline (reminders, calls, notes, holds, decisions).
- ``Promise``, ``Dispute``, ``PaymentPlan`` + ``Instalment``,
  ``FormalNotice`` (a document of the shared mechanism), ``WriteOff``,
  ``Recovery``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.clients.models import Client
from maille.core.money import ZERO
from maille.invoicing.models import Invoice


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter (PDF)")
    TASK = "task", _("Task for staff (call)")


class StepKind(models.TextChoices):
    FRIENDLY = "friendly", _("Friendly reminder")
    FIRM = "firm", _("Firm reminder")
    CALL = "call", _("Call")
    NOTICE = "notice", _("Formal notice")


class DunningPolicy(models.Model):
    """The collection rules in force from ``valid_from`` (the board's decision)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    run_at = models.TimeField(_("daily run time"), default=dt.time(9, 0))
    contact_from = models.TimeField(_("no contact before"), default=dt.time(8, 0))
    contact_until = models.TimeField(_("no contact after"), default=dt.time(20, 0))
    member_notice_days = models.PositiveSmallIntegerField(
        _("days the member is told before a firm step"), default=3
    )
    notice_delay_days = models.PositiveSmallIntegerField(
        _("days given to pay in a formal notice"), default=10
    )
    # The co-op's quote says overdue amounts bear interest "from the due date":
    # an accepted quote puts the client in default by the mere lapse of time
    # (CCQ 1594). A policy may say otherwise (interest from the demand).
    quote_default_by_lapse = models.BooleanField(
        _("an accepted quote puts the client in default by the mere lapse of time"), default=True
    )
    interest_to_activity = models.BooleanField(
        _("interest collected goes to the activity (else to the co-op)"), default=False
    )
    source = models.CharField(_("decision"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dunning policy")
        verbose_name_plural = _("dunning policies")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_from__lt=models.F("contact_until")),
                name="dunning_window_sane",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Dunning policy from %(date)s") % {"date": self.valid_from})

    @classmethod
    def on(cls, date: dt.date) -> DunningPolicy | None:
        return cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()


class DunningStep(models.Model):
    policy = models.ForeignKey(DunningPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    days_after_due = models.PositiveSmallIntegerField(_("days after the due date"))
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    firm = models.BooleanField(
        _("firm (the member is told before and may ask to hold it)"), default=False
    )
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("dunning step")
        verbose_name_plural = _("dunning steps")
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="dunning_step_once"),
        ]

    def __str__(self) -> str:
        return f"+{self.days_after_due} {self.get_kind_display()}"

    @property
    def is_verbal(self) -> bool:
        return self.channel == Channel.TASK

    def texts(self, language: str, number: str, amount: str, due_date: dt.date) -> tuple[str, str]:
        """The step's subject and text in the client's language, with the invoice's figures."""
        subject = self.subject_en if language == "en" and self.subject_en else self.subject_fr
        text = self.text_en if language == "en" and self.text_en else self.text_fr
        values = {
            "number": number,
            "amount": amount,
            "due": due_date.isoformat(),
            "coop": settings.MAILLE_COOP_NAME,
        }
        try:
            return subject.format(**values)[:200], text.format(**values)
        except (KeyError, IndexError, ValueError):
            return subject[:200], text


class LegalParameters(models.Model):
    """The figures of the law used in collection, by date (quebec-2026.md §3)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    legal_interest_rate = models.DecimalField(
        _("legal interest rate (% a year, CCQ 1617)"), max_digits=5, decimal_places=2
    )
    small_claims_ceiling = models.DecimalField(
        _("small claims ceiling, excluding interest"), max_digits=10, decimal_places=2
    )
    small_claims_max_employees = models.PositiveSmallIntegerField(
        _("most employees a legal person may have had (C.p.c. 536)")
    )
    prescription_years = models.PositiveSmallIntegerField(
        _("prescription (years, CCQ 2925)"), default=3
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal parameters of collection")
        verbose_name_plural = _("legal parameters of collection")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legal_interest_rate__gte=0, legal_interest_rate__lte=60),
                name="legal_rate_sane",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Legal parameters from %(date)s") % {"date": self.valid_from})

    @classmethod
    def on(cls, date: dt.date) -> LegalParameters:
        found = cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()
        if found is None:
            # The law as of 2026 (quebec-2026.md §3) until admins record otherwise.
            return cls(
                valid_from=dt.date(2000, 1, 1),
                legal_interest_rate=Decimal("5.00"),
                small_claims_ceiling=Decimal("15000.00"),
                small_claims_max_employees=10,
                prescription_years=3,
            )
        return found


class CollectionCase(models.Model):
    """A client's case file: all their overdue invoices, whichever member did the work."""

    client = models.OneToOneField(
        Client, on_delete=models.PROTECT, related_name="collection_case", verbose_name=_("client")
    )
    opened_on = models.DateField(_("opened on"))
    # s. 3: after a written notice to deal with the client's lawyer,
    # nothing goes to the client directly.
    lawyer_name = models.CharField(_("client's lawyer"), max_length=200, blank=True)
    lawyer_email = models.EmailField(_("lawyer's email"), blank=True)
    lawyer_notice_on = models.DateField(
        _("client asked in writing to deal with their lawyer on"), null=True, blank=True
    )
    judicial_demand_on = models.DateField(_("judicial demand filed on"), null=True, blank=True)
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_on = models.DateField(_("next action on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection case")
        verbose_name_plural = _("collection cases")
        ordering = ["next_action_on", "id"]

    def __str__(self) -> str:
        return str(_("Case %(client)s") % {"client": self.client})

    def get_absolute_url(self) -> str:
        return reverse("collection:case", args=[self.pk])

    @property
    def through_lawyer(self) -> bool:
        return self.lawyer_notice_on is not None


class InvoiceDunning(models.Model):
    """One overdue invoice's way through the steps."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="dunning")
    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="invoices")
    steps_done = models.PositiveSmallIntegerField(default=0)
    last_step_on = models.DateField(null=True, blank=True)
    member_told_position = models.PositiveSmallIntegerField(default=0)
    member_told_on = models.DateField(null=True, blank=True)
    # A member's request to hold a firm step (recorded with its reason); it
    # holds until staff release it.
    hold_position = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_reason = models.CharField(_("reason for holding"), max_length=300, blank=True)
    hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A broken promise or the end of a plan resumes the steps; a kept promise
    # or a plan in progress pauses them until this date.
    paused_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("invoice in collection")
        verbose_name_plural = _("invoices in collection")

    def __str__(self) -> str:
        return str(self.invoice)

    @property
    def member_hold(self) -> bool:
        return self.hold_position is not None


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the contact window")
    SENT = "sent", _("Sent")
    TASK = "task", _("Call to make")
    DONE = "done", _("Call made")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """One step done on one invoice: at most once (the unique key is the job's idempotency)."""

    dunning = models.ForeignKey(InvoiceDunning, on_delete=models.CASCADE, related_name="reminders")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    channel = models.CharField(max_length=6, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    language = models.CharField(max_length=2, default="fr")
    # A "letter" step: the PDF to print and post, rendered after the run commits
    # (slow work stays out of the run's transaction) or on first download.
    letter_pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dunning", "position"], name="reminder_once_per_step"),
        ]
        indexes = [
            models.Index(
                fields=["status"], condition=models.Q(status="queued"), name="reminder_queued"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dunning.invoice} — {self.get_kind_display()}"


class EventKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    CALL = "call", _("Call")
    NOTE = "note", _("Note")
    MEMBER_TOLD = "member_told", _("Member told")
    HOLD = "hold", _("Step held")
    RELEASE = "release", _("Hold released")
    PROMISE = "promise", _("Promise to pay")
    PROMISE_BROKEN = "promise_broken", _("Promise broken")
    DISPUTE = "dispute", _("Dispute")
    DECISION = "decision", _("Staff decision")
    PLAN = "plan", _("Payment plan")
    NOTICE = "notice", _("Formal notice")
    REGISTERED_MAIL = "registered", _("Registered mail")
    LAWYER = "lawyer", _("Client's lawyer")
    ACKNOWLEDGEMENT = "ack", _("Acknowledgement of the debt")
    JUDICIAL = "judicial", _("Judicial demand")
    WRITE_OFF = "write_off", _("Write-off")
    RECOVERY = "recovery", _("Recovery")
    INTEREST = "interest", _("Interest collected")
    LETTER = "letter", _("Letter to post")


class CaseEvent(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="events")
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    text = models.TextField(_("text"), blank=True)
    on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class PromiseStatus(models.TextChoices):
    OPEN = "open", _("Awaited")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Promise(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="promises")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    promised_on = models.DateField(_("will pay on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_before = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    status = models.CharField(
        _("status"), max_length=8, choices=PromiseStatus.choices, default=PromiseStatus.OPEN
    )
    by_client = models.BooleanField(_("made by the client online"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("promise to pay")
        verbose_name_plural = _("promises to pay")
        ordering = ["-promised_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="promise_amount_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount} {self.promised_on}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open: steps held")
    UPHELD = "upheld", _("Decided: the client is right (credit note)")
    REJECTED = "rejected", _("Decided: the amount is owed")


class Dispute(models.Model):
    """The client contests an invoice. Written (online or by letter): R-2.2 holds
    every automatic step and every verbal contact until staff decide."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="disputes")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    what = models.TextField(_("what is contested"))
    raised_by = models.CharField(_("raised by"), max_length=200)
    in_writing = models.BooleanField(_("in writing"), default=True)
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(
        _("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    member_answer = models.TextField(_("member's answer"), blank=True)
    member_answered_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("staff decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(status="open"),
                name="dispute_one_open_per_invoice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.what[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DONE = "done", _("Completed")
    BROKEN = "broken", _("Broken")


class PaymentPlan(models.Model):
    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="plans")
    invoices = models.ManyToManyField(Invoice, related_name="+")
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    paid_before = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Plan of %(total)s") % {"total": self.total})


class Instalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_amount_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class FormalNotice(models.Model):
    """A mise en demeure: a letter (PDF) in the client's language, sent with a trace."""

    case = models.ForeignKey(CollectionCase, on_delete=models.PROTECT, related_name="notices")
    invoices = models.ManyToManyField(Invoice, related_name="+")
    number = models.CharField(_("number"), max_length=20, unique=True)
    date = models.DateField(_("date"))
    deadline = models.DateField(_("pay by"))
    language = models.CharField(_("language"), max_length=2, default="fr")
    principal = models.DecimalField(_("amount owed"), max_digits=14, decimal_places=2)
    interest = models.DecimalField(_("interest claimed"), max_digits=14, decimal_places=2)
    interest_basis = models.TextField(_("basis of the interest"), blank=True)
    to_lawyer = models.BooleanField(default=False)
    # Created outside the contact window: the next run inside one sends it.
    email_pending = models.BooleanField(default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("viewed by the client"), null=True, blank=True)
    registered_mail_on = models.DateField(_("sent by registered mail on"), null=True, blank=True)
    registered_mail_ref = models.CharField(_("registered mail number"), max_length=60, blank=True)
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formal notice")
        verbose_name_plural = _("formal notices")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.number


class WriteOff(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="write_offs")
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount written off (taxes included)"), max_digits=14, decimal_places=2
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="write_off_amount_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} −{self.amount}"


class Recovery(models.Model):
    write_off = models.ForeignKey(WriteOff, on_delete=models.PROTECT, related_name="recoveries")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount recovered"), max_digits=14, decimal_places=2)
    payment = models.ForeignKey(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Booked by the daily run (the payment named the invoice, or the client
    # owes nothing else), else by staff.
    automatic = models.BooleanField(_("detected by the daily run"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="recovery_amount_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.write_off.invoice} +{self.amount}"


class InterestCollected(models.Model):
    """Late interest the client paid: part of a payment's credit (what it paid
    beyond the invoice), income of the co-op or of the activity by the policy."""

    case = models.ForeignKey(
        CollectionCase, on_delete=models.PROTECT, related_name="interest_collected"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("interest collected"), max_digits=14, decimal_places=2)
    to_activity = models.BooleanField(_("income of the activity (else of the co-op)"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    #: Undone (a cheque that bounced, the wrong payment): its entry reversed, the
    #: payment's credit free again. The row stays.
    undone_on = models.DateField(_("undone on"), null=True, blank=True)
    undone_reason = models.CharField(_("why it was undone"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("interest collected")
        verbose_name_plural = _("interest collected")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="interest_collected_amount_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} +{self.amount}"
