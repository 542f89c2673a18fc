"""Governance: joining, shares, the register, meetings, votes and ristournes.

The co-op belongs to its members (Cooperatives Act, C-67.2): joining means
subscribing qualifying shares (s. 40), the register keeps each member's shares
and dates (s. 124), the annual meeting is held within six months of year end
(s. 76), one member has one vote and no proxy (s. 4), and the surplus goes to
the reserve and to ristournes in proportion to each member's business with the
co-op — for a worker co-op, their work (ss. 143, 224.7).

What the by-laws decide (qualifying shares, share price, instalments, notice,
quorum, redemption) is a dated ``Bylaws`` row that admins edit; the row in
force on a day is the one with the latest ``valid_from`` on or before it.

Secret ballots: a voter's *participation* (who voted) and the *cast ballot*
(what was chosen) are two tables with nothing in common but the ballot: the
cast ballot has a random UUID key, no timestamp, no voter, and only the hash
of the receipt code given to the voter. When the ballot is counted, the cast
ballots are rewritten in a random order in one transaction, so neither the
physical order of rows nor the writing transaction links them to the
participations (docs/decisions/0013-governance.md).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.core.models import Language, Province
from maille.ledger.models import JournalEntry
from maille.members.models import Member


def _money(verbose: Any, **kw: Any) -> Any:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kw)


class MemberCategory(models.TextChoices):
    WORKER = "worker", _("Worker member")
    AUXILIARY = "auxiliary", _("Auxiliary member")


class Bylaws(models.Model):
    """The by-law settings in force from ``valid_from`` (Act ss. 40, 77, 83, 38)."""

    valid_from = models.DateField(_("in force from"), unique=True)
    share_price = _money(_("price of a share"))
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
    amount = _money(_("amount"), default=Decimal("0.00"))
    # A redemption of shares not fully paid cancels what was still owed on them.
    unpaid_cancelled = _money(_("unpaid amount cancelled"), default=Decimal("0.00"))
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


class MeetingKind(models.TextChoices):
    ANNUAL = "annual", _("Annual general meeting")
    SPECIAL = "special", _("Special general meeting")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    CALLED = "called", _("Called")
    HELD = "held", _("Held")


class Meeting(models.Model):
    """A general meeting of the members; its convocation is a shared document."""

    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    fiscal_year_end = models.DateField(_("fiscal year ended"), null=True, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    called_on = models.DateField(_("called on"), null=True, blank=True)
    decision = models.ForeignKey(
        BoardDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    members_on_call = models.PositiveIntegerField(_("members when called"), default=0)
    quorum_required = models.PositiveIntegerField(_("quorum"), default=0)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("minutes approved at"),
    )
    link_nonce = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("general meeting")
        verbose_name_plural = _("general meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])


class MeetingDocumentKind(models.TextChoices):
    FINANCIAL_STATEMENTS = "statements", _("Financial statements")
    BOARD_REPORT = "report", _("Board's report")
    RESOLUTION = "resolution", _("Proposed resolution")
    OTHER = "other", _("Other document")


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingDocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("present"), max_length=10, choices=AttendanceMode.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {self.mode}"


class BallotKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    ELECTION = "election", _("Election")


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    TWO_THIRDS = "two_thirds", _("Two thirds (by-law change)")


class Ballot(models.Model):
    """A resolution or an election with its voting window and record date."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BallotKind.choices)
    question = models.CharField(_("question"), max_length=300)
    majority = models.CharField(
        _("majority"), max_length=10, choices=Majority.choices, default=Majority.SIMPLE
    )
    seats = models.PositiveSmallIntegerField(_("seats to fill"), default=1)
    secret = models.BooleanField(_("secret ballot"), default=True)
    record_date = models.DateField(_("record date"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("members who could vote"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="ballot_closes_after_it_opens",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="ballot_seats"),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def max_choices(self) -> int:
        return self.seats if self.kind == BallotKind.ELECTION else 1

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.counted_at is None and self.opens_at <= moment < self.closes_at  # type: ignore[operator]


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200)
    candidate = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The count, written when the ballot is counted.
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That a member voted on a ballot: the unique pair is one member, one vote.
    No time, no link to what they chose when the ballot is secret."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="one_member_one_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.member_id}"


class CastBallot(models.Model):
    """What one voter chose. Secret: no voter, a random key, no time; only the
    hash of the receipt code the voter holds. Open vote: the voter is named."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="cast")
    receipt_hash = models.CharField(max_length=64)
    choices = models.JSONField(default=list)
    voter = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cast ballot")
        verbose_name_plural = _("cast ballots")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "receipt_hash"], name="cast_receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}"


class RistourneBasis(models.TextChoices):
    SALARY = "salary", _("Salary paid (gross)")
    HOURS = "hours", _("Hours worked")


class RistourneForm(models.TextChoices):
    CASH = "cash", _("In cash (bank file)")
    SHARES = "shares", _("In shares")


class RistourneStatus(models.TextChoices):
    SIMULATED = "simulated", _("Simulation")
    ALLOCATED = "allocated", _("Voted and posted")
    PAYING = "paying", _("Being paid (bank file)")
    PAID = "paid", _("Paid")


class RistourneAllocation(models.Model):
    """The assembly's allocation of one year's surplus: reserve and ristournes."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    surplus = _money(_("surplus of the year"))
    reserve = _money(_("to the reserve"))
    ristournes = _money(_("to ristournes"))
    basis = models.CharField(
        _("basis"), max_length=10, choices=RistourneBasis.choices, default=RistourneBasis.SALARY
    )
    form = models.CharField(
        _("paid"), max_length=10, choices=RistourneForm.choices, default=RistourneForm.CASH
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RistourneStatus.choices,
        default=RistourneStatus.SIMULATED,
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The assembly's resolution adopting this allocation (reserve, ristournes, cash or shares).
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_on = models.DateField(_("allocated on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ristourne allocation")
        verbose_name_plural = _("ristourne allocations")
        ordering = ["-fiscal_year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserve__gte=0, ristournes__gte=0),
                name="ristourne_amounts_positive",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=~models.Q(status="simulated"),
                name="ristourne_one_allocation_per_year",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Ristournes %(year)s") % {"year": self.fiscal_year})


class Ristourne(models.Model):
    """One member's ristourne: their basis and the amount it gives."""

    allocation = models.ForeignKey(
        RistourneAllocation, on_delete=models.CASCADE, related_name="lines"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ristournes")
    basis = _money(_("basis"))
    amount = _money(_("ristourne"))
    shares = models.PositiveIntegerField(_("shares issued"), default=0)
    # Paid in cash: what goes in the bank file (the cents left over when paid in shares).
    cash = _money(_("paid in cash"), default=Decimal("0.00"))
    bank_file = models.ForeignKey(
        "payroll.BankFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("ristourne")
        verbose_name_plural = _("ristournes")
        ordering = ["member__number"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "member"], name="ristourne_once"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id} {self.member_id} {self.amount}"


class RistourneSlip(models.Model):
    """What the year's tax slips need for one member's ristournes, stored when
    paid (the calendar year of payment): RL-1 box O, code RL, and the federal
    T4A box 030 [check] (quebec-operations.md §4)."""

    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = _money(_("ristournes paid"))
    rl1_box = models.CharField(_("RL-1 box"), max_length=3, default="O")
    rl1_code = models.CharField(_("RL-1 code"), max_length=3, default="RL")
    t4a_box = models.CharField(_("T4A box"), max_length=3, default="030")

    class Meta:
        verbose_name = _("ristourne slip amount")
        verbose_name_plural = _("ristourne slip amounts")
        ordering = ["year", "member__number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "member"], name="ristourne_slip_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.member_id} {self.amount}"
