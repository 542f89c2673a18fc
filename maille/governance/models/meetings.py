"""Meetings, attendance, ballots (secret ones included) and ristournes; the
module docstring of ``maille.governance.models`` says how votes stay secret."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.governance.models.membership import BoardDecision, money_field
from maille.members.models import Member


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
    surplus = money_field(_("surplus of the year"))
    reserve = money_field(_("to the reserve"))
    ristournes = money_field(_("to ristournes"))
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
    basis = money_field(_("basis"))
    amount = money_field(_("ristourne"))
    shares = models.PositiveIntegerField(_("shares issued"), default=0)
    # Paid in cash: what goes in the bank file (the cents left over when paid in shares).
    cash = money_field(_("paid in cash"), default=Decimal("0.00"))
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
    amount = money_field(_("ristournes paid"))
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
