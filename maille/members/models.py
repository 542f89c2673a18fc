"""Members of the co-op and their activities.

A member is a freelancer the co-op employs; an activity is a budget envelope
inside the co-op through which all money of one piece of work flows
(ARCHITECTURE §2). Two activities belong to the co-op itself: ``COOP``
(operations) and ``FONDS`` (the guarantee fund).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.core.crypto import EncryptedTextField, mask
from maille.core.models import Province

__all__ = ["Province"]  # re-exported: older imports name it here


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Member(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member"
    )
    number = models.CharField(_("member number"), max_length=12, unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CA")
    employment_start = models.DateField(_("employment start date"), null=True, blank=True)
    # The current status; every change is also a dated MemberStatusChange row
    # written by the same service (members.services.member_set_status).
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.APPLICANT
    )
    sin = EncryptedTextField(_("social insurance number"), blank=True)
    bank_account = EncryptedTextField(_("bank account for direct deposit"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in MemberStatus]),
                name="member_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.number})"

    @property
    def full_name(self) -> str:
        return self.user.get_full_name()

    @property
    def sin_masked(self) -> str:
        return mask(self.sin)

    @property
    def bank_account_masked(self) -> str:
        return mask(self.bank_account, visible=4, group=0)


class MemberStatusChange(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices)
    effective_date = models.DateField(_("effective date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status} ({self.effective_date})"


class ActivityKind(models.TextChoices):
    MEMBER = "member", _("Member activity")
    COOP = "coop", _("Co-op operations")
    FUND = "fund", _("Guarantee fund")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


COOP_ACTIVITY_CODE = "COOP"
FUND_ACTIVITY_CODE = "FONDS"


class Activity(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.MEMBER
    )
    owners = models.ManyToManyField(
        Member, related_name="activities", verbose_name=_("owners"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="activity_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ActivityStatus]),
                name="activity_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status == ActivityStatus.OPEN


class Directorship(models.Model):
    """A member's seat on the board, from the date they took it (after an
    election, governance) to the date they left it. The board on a given day is
    the members with a seat that day: the guarantee fund's stress page and the
    governance pages are the board's."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="directorships")
    started_on = models.DateField(_("on the board from"))
    ended_on = models.DateField(_("on the board until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("director")
        verbose_name_plural = _("directors")
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="directorship_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.started_on} – {self.ended_on or '…'})"
