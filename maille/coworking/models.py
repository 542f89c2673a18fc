"""Shared spaces and equipment, their dated prices and rules, bookings, passes, loans.

A *site* (an address with opening hours, closed on Québec statutory holidays)
holds *resources*: desks, rooms, equipment items. Prices and booking rules are
dated (``valid_from``): the row in force on the booking's day applies, admins
add a new row rather than edit the old one, so history is kept.

A *booking* holds a resource from ``start`` to ``end`` and blocks it until
``blocked_until`` (the end plus the cleaning or checking buffer). No two
active bookings of one resource may overlap on ``[start, blocked_until)``:
on PostgreSQL an exclusion constraint says so (migration ``0002``), on SQLite
the booking service checks inside its write transaction (which SQLite runs
one at a time). Touching ranges are allowed: ``[9:00, 10:00)`` and
``[10:00, 11:00)`` do not overlap.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.core.models import Province
from maille.invoicing.models import Invoice
from maille.members.models import Activity, Member


class Site(models.Model):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, default="QC")
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    opens_at = models.TimeField(_("opens at"), default=dt.time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=dt.time(18, 0))
    #: Days of the week it is open, Monday = 0: "01234" is Monday to Friday.
    open_days = models.CharField(_("open days"), max_length=7, default="01234")
    closed_on_holidays = models.BooleanField(_("closed on statutory holidays"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="coworking_site_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city} ({self.province}) {self.postal_code}".strip()

    @property
    def open_days_names(self) -> str:
        """The open days in words, in the active language ("lun., mar., …")."""
        from django.utils.dates import WEEKDAYS_ABBR

        return ", ".join(str(WEEKDAYS_ABBR[int(d)]) for d in sorted(self.open_days))


class ResourceKind(models.TextChoices):
    DESK = "desk", _("Desk")
    ROOM = "room", _("Room")
    EQUIPMENT = "equipment", _("Equipment")


class Resource(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="resources")
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)
    equipment = models.CharField(_("equipment in the room"), max_length=300, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["site", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ResourceKind]),
                name="coworking_resource_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"


class Price(models.Model):
    """What an hour, a half day (up to 4 h) and a day cost, from ``valid_from`` on.

    Amounts are before sales tax; members pay them from an activity (an
    internal posting, no tax), guests pay them plus GST and QST.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="prices")
    valid_from = models.DateField(_("valid from"))
    member_hour = models.DecimalField(_("member, per hour"), max_digits=10, decimal_places=2)
    member_half_day = models.DecimalField(
        _("member, per half day"), max_digits=10, decimal_places=2
    )
    member_day = models.DecimalField(_("member, per day"), max_digits=10, decimal_places=2)
    guest_hour = models.DecimalField(_("guest, per hour"), max_digits=10, decimal_places=2)
    guest_half_day = models.DecimalField(_("guest, per half day"), max_digits=10, decimal_places=2)
    guest_day = models.DecimalField(_("guest, per day"), max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["resource", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "valid_from"], name="coworking_price_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(member_hour__gte=0)
                & models.Q(member_half_day__gte=0)
                & models.Q(member_day__gte=0)
                & models.Q(guest_hour__gte=0)
                & models.Q(guest_half_day__gte=0)
                & models.Q(guest_day__gte=0),
                name="coworking_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} ({self.valid_from})"


class Rule(models.Model):
    """How a resource may be booked, from ``valid_from`` on."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="rules")
    valid_from = models.DateField(_("valid from"))
    min_minutes = models.PositiveIntegerField(_("shortest booking (minutes)"), default=30)
    max_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=600)
    max_days_ahead = models.PositiveIntegerField(
        _("booked at most this many days ahead"), default=90
    )
    cancel_notice_hours = models.PositiveIntegerField(
        _("free cancellation up to (hours before)"), default=24
    )
    late_cancel_percent = models.DecimalField(
        _("charged on a late cancellation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer after each booking (minutes)"), default=0
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking rule")
        verbose_name_plural = _("booking rules")
        ordering = ["resource", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "valid_from"], name="coworking_rule_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(max_minutes__gte=models.F("min_minutes"))
                & models.Q(min_minutes__gte=1),
                name="coworking_rule_lengths",
            ),
            models.CheckConstraint(
                condition=models.Q(late_cancel_percent__gte=0)
                & models.Q(late_cancel_percent__lte=100),
                name="coworking_rule_late_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} ({self.valid_from})"


class PassKind(models.TextChoices):
    MONTHLY_DESK = "monthly_desk", _("Monthly desk pass")
    HOURS = "hours", _("Pack of hours")


class Pass(models.Model):
    """Bought once, drawn down by bookings: a month of desks on a site, or hours.

    Its price is charged to the activity when it is bought; bookings it covers
    cost nothing more. What is left of a pack is its hours less the hours of
    the active bookings drawn on it (no stored balance that could drift).
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="coworking_passes")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="passes")
    kind = models.CharField(_("kind"), max_length=15, choices=PassKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="coworking_pass_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="monthly_desk") | models.Q(hours__gt=0),
                name="coworking_pass_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.member} ({self.valid_from})"


class PassPrice(models.Model):
    """What a pass costs on a site, from ``valid_from`` on (a dated offer)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pass_prices")
    kind = models.CharField(_("kind"), max_length=15, choices=PassKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valid from"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pass offer")
        verbose_name_plural = _("pass offers")
        ordering = ["site", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="coworking_pass_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="monthly_desk") | models.Q(hours__gt=0),
                name="coworking_pass_price_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.site} ({self.price})"


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class Series(models.Model):
    """Bookings made together (every Tuesday 9–12 for 8 weeks): all or none."""

    created_at = models.DateTimeField(auto_now_add=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("series of bookings")
        verbose_name_plural = _("series of bookings")

    def __str__(self) -> str:
        return self.description or str(self.pk)


class Booking(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    #: A member's booking is charged to one of their activities; a guest's has none.
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    guest_name = models.CharField(_("name"), max_length=200, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)
    guest_company = models.CharField(_("company"), max_length=200, blank=True)
    guest_province = models.CharField(
        _("province"), max_length=2, choices=Province.choices, blank=True
    )
    guest_postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    guest_language = models.CharField(max_length=2, default="fr")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    #: ``end`` plus the rule's buffer: the resource is not free before this.
    blocked_until = models.DateTimeField()
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    #: Before tax. What the activity was charged (0 when a pass covers it).
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    used_pass = models.ForeignKey(
        Pass, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    hours_drawn = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    refund = models.DecimalField(
        _("refunded"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The shared document mechanism: the confirmation email and its link.
    link_nonce = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start"))
                & models.Q(blocked_until__gte=models.F("end")),
                name="coworking_booking_times",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in BookingStatus]),
                name="coworking_booking_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(activity__isnull=False) | ~models.Q(guest_email=""),
                name="coworking_booking_member_or_guest",
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "start"], name="coworking_booking_res_start"),
            models.Index(fields=["start"], name="coworking_booking_start"),
            models.Index(fields=["member", "start"], name="coworking_booking_member"),
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} {self.start:%Y-%m-%d %H:%M}"

    @property
    def owed(self) -> Decimal:
        """What is charged after the refund (a guest's invoice; an activity's cost)."""
        return self.price - self.refund

    @property
    def is_guest(self) -> bool:
        return self.activity_id is None

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.ACTIVE

    @property
    def who(self) -> str:
        if self.member is not None:
            return self.member.full_name
        return self.guest_name


class Feed(models.Model):
    """An iCal feed: one member's bookings, or one resource's. Its signed URL
    never expires; revoking it draws a new nonce (every URL given so far stops)."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="coworking_feed"
    )
    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="feed"
    )
    link_nonce = models.CharField(max_length=32, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(resource__isnull=True),
                name="coworking_feed_member_xor_resource",
            )
        ]

    def __str__(self) -> str:
        return str(self.member or self.resource)


class Loan(models.Model):
    """An equipment item out with a member, from check-out to check-in."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="coworking_loans")
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="loans"
    )
    checked_out_at = models.DateTimeField(_("checked out at"))
    due_at = models.DateTimeField(_("due back at"))
    condition_out = models.CharField(_("condition when lent"), max_length=300, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    condition_in = models.CharField(_("condition when returned"), max_length=300, blank=True)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The last day the member was reminded (the daily job reminds once a day).
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-checked_out_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource"],
                condition=models.Q(checked_in_at__isnull=True),
                name="coworking_loan_one_out_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("checked_out_at")),
                name="coworking_loan_due_after_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} → {self.member}"

    @property
    def is_out(self) -> bool:
        return self.checked_in_at is None
