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
