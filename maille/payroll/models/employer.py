"""The co-op's own payroll figures, dated: what the engine calls ``EmployerRates``.

The payroll engine (``maille.payroll.engine``) takes the figures that vary by
employer, not by year, as an input: the CNESST rate of the co-op's
classification unit, its sector and total payroll for the Health Services
Fund rate (TP-1015.F 2026 §5), and whether the training fund (WSDRF) applies.
An admin sets them here (issue 5). Like the contribution policy
(``maille.invoicing.models.ContributionPolicy``), a change is a new row with
the date it takes effect, so a pay computed again later uses the figures in
force on its pay date; the history (simple-history) says who changed what.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.payroll.engine import EmployerRates, FssSector


class FssSectorChoice(models.TextChoices):
    """The sectors of TP-1015.F 2026 p. 8 and §5; the values are the engine's ``FssSector``."""

    GENERAL = (
        FssSector.GENERAL.value,
        _("All employers except the primary, manufacturing and public sectors"),
    )
    PRIMARY_MANUFACTURING = (
        FssSector.PRIMARY_MANUFACTURING.value,
        _("Primary and manufacturing sectors (over half the payroll in NAICS 11, 21, 31-33)"),
    )
    PUBLIC = FssSector.PUBLIC.value, _("Public sector")


class EmployerPayrollSettings(models.Model):
    """The co-op's employer figures for payroll, in force from ``valid_from``."""

    valid_from = models.DateField(_("valid from"), unique=True)
    cnesst_unit_code = models.CharField(
        _("CNESST classification unit"),
        max_length=10,
        blank=True,
        help_text=_("The unit number on the CNESST's notice of classification."),
    )
    cnesst_unit_label = models.CharField(_("CNESST classification unit title"), max_length=200)
    cnesst_rate = models.DecimalField(
        _("CNESST rate ($ per $100 of insurable pay)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The unit's rate for the year, from the CNESST's notice."),
    )
    fss_sector = models.CharField(
        _("Health Services Fund sector"),
        max_length=30,
        choices=FssSectorChoice.choices,
        default=FssSectorChoice.GENERAL,
    )
    total_payroll = models.DecimalField(
        _("total payroll ($)"),
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "The co-op's total payroll for the year, for the Health Services Fund rate "
            "(the lowest up to 1 M$) and the training fund (due above 2 M$): the previous "
            "year's, for an established employer."
        ),
    )
    wsdrf_applies = models.BooleanField(
        _("the training fund (WSDRF) applies"),
        default=True,
        help_text=_(
            "One per cent of payroll, due only when the total payroll exceeds 2 M$. "
            "Untick it when the co-op spends at least as much on eligible training."
        ),
    )
    note = models.TextField(
        _("note and source"),
        blank=True,
        help_text=_("Where the figures come from (notice, decision), and what is left to check."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer payroll settings")
        verbose_name_plural = _("employer payroll settings")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cnesst_rate__gte=0), name="employer_payroll_cnesst_rate_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(total_payroll__gte=0),
                name="employer_payroll_total_payroll_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(fss_sector__in=FssSectorChoice.values),
                name="employer_payroll_fss_sector_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Employer payroll settings from %(date)s") % {"date": self.valid_from})

    @classmethod
    def in_force(cls, date: dt.date) -> EmployerPayrollSettings | None:
        """The row in force on ``date``: the latest that took effect on or before it."""
        return cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()

    def as_employer_rates(self) -> EmployerRates:
        """The engine's input for these figures."""
        return EmployerRates(
            total_payroll=Decimal(self.total_payroll),
            fss_sector=FssSector(self.fss_sector),
            cnesst_rate=Decimal(self.cnesst_rate),
            wsdrf_applies=self.wsdrf_applies,
        )


# --- The co-op's payroll operations: calendar, remitter types, bank originator -----


class RemitterType(models.TextChoices):
    """How often source deductions are remitted (quebec-operations.md §3)."""

    QUARTERLY = "quarterly", _("Quarterly (15th after the quarter)")
    MONTHLY = "monthly", _("Monthly (15th of the next month)")
    TWICE_MONTHLY = "twice_monthly", _("Twice a month (1-15 by the 25th, 16-end by the 10th)")
    WEEKLY = "weekly", _("Weekly / accelerated threshold 2 (3 working days after each period)")
    ANNUAL = "annual", _("Annual (Revenu Québec only, total of 2 400 $ or less: by January 15)")


class VacationPolicy(models.TextChoices):
    EACH_PAY = "each_pay", _("Paid with each pay (4 % or 6 % on every payslip)")
    ACCRUED = "accrued", _("Accrued, paid when the member takes their vacation")


class PayrollOperationsSettings(models.Model):
    """How the co-op runs its payroll, in force from ``valid_from`` (dated like the rates).

    The pay calendar is every other week from ``first_pay_date`` (biweekly),
    moved back to the previous bank business day when it falls on a weekend
    or bank holiday; a year has 26 or 27 of them. The work period of a pay
    ends ``period_end_days`` days before it. Requests close ``cutoff_days``
    days before the pay date.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    first_pay_date = models.DateField(
        _("a regular pay date"),
        help_text=_("Any one regular pay date: the others are every 14 days before and after."),
    )
    period_end_days = models.PositiveSmallIntegerField(
        _("days between the end of the work period and the pay date"), default=6
    )
    cutoff_days = models.PositiveSmallIntegerField(
        _("request cut-off (days before the pay date)"), default=3
    )
    rq_remitter_type = models.CharField(
        _("Revenu Québec remitter type"),
        max_length=20,
        choices=RemitterType.choices,
        default=RemitterType.MONTHLY,
    )
    cra_remitter_type = models.CharField(
        _("CRA remitter type"),
        max_length=20,
        choices=RemitterType.choices,
        default=RemitterType.MONTHLY,
    )
    originator_id = models.CharField(
        _("CPA-005 originator ID"), max_length=10, help_text=_("Assigned by the co-op's bank.")
    )
    originator_short_name = models.CharField(_("originator short name"), max_length=15)
    originator_long_name = models.CharField(_("originator long name"), max_length=30)
    data_centre = models.CharField(_("destination data centre"), max_length=5, blank=True)
    return_account = models.CharField(
        _("account for returned payments"),
        max_length=30,
        help_text=_("institution-transit-account of the co-op's account, e.g. 815-30001-1234567."),
    )
    vacation_pay = models.CharField(
        _("vacation pay"),
        max_length=10,
        choices=VacationPolicy.choices,
        default=VacationPolicy.EACH_PAY,
    )
    note = models.TextField(_("note and source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payroll operations settings")
        verbose_name_plural = _("payroll operations settings")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return str(_("Payroll operations from %(date)s") % {"date": self.valid_from})

    def clean(self) -> None:
        if self.cra_remitter_type == RemitterType.ANNUAL:
            raise ValidationError(
                {"cra_remitter_type": _("Only Revenu Québec has annual remitters.")}
            )

    @classmethod
    def in_force(cls, date: dt.date) -> PayrollOperationsSettings | None:
        return cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()


class MinimumWage(models.Model):
    """Québec's general minimum wage per hour, in force from ``valid_from``."""

    valid_from = models.DateField(_("valid from"), unique=True)
    hourly = models.DecimalField(_("hourly minimum wage"), max_digits=6, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hourly__gt=0), name="minimum_wage_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.hourly}"

    @classmethod
    def in_force(cls, date: dt.date) -> Decimal | None:
        row = cls.objects.filter(valid_from__lte=date).order_by("-valid_from").first()
        return Decimal(row.hourly) if row else None


class EasterHoliday(models.TextChoices):
    GOOD_FRIDAY = "good_friday", _("Good Friday")
    EASTER_MONDAY = "easter_monday", _("Easter Monday")


class EasterChoice(models.Model):
    """The co-op's yearly choice of its Easter holiday (LNT art. 60: Good Friday
    or Easter Monday, at the employer's choice), from ``valid_from`` on.

    Without a row, Good Friday (the ``holidays`` package's Québec default).
    The statutory calendar (``payroll.calendar.statutory_holidays``) reads it.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    holiday = models.CharField(_("Easter holiday"), max_length=14, choices=EasterHoliday.choices)
    source = models.CharField(_("decision"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Easter holiday choice")
        verbose_name_plural = _("Easter holiday choices")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holiday__in=[h.value for h in EasterHoliday]),
                name="easter_choice_holiday_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.get_holiday_display()}"

    @classmethod
    def for_year(cls, year: int) -> str:
        """The choice in force on January 1 of ``year`` (else in force later that year)."""
        row = (
            cls.objects.filter(valid_from__lte=dt.date(year, 12, 31))
            .order_by("-valid_from")
            .values_list("holiday", flat=True)
            .first()
        )
        return row or EasterHoliday.GOOD_FRIDAY


# --- Employment record ---------------------------------------------------------
