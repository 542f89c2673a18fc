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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.documents.links import new_nonce
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


class PayFrequency(models.TextChoices):
    BIWEEKLY = "biweekly", _("Every two weeks (the co-op's calendar)")


class EmploymentRecord(models.Model):
    """What payroll needs to know of a member as an employee of the co-op.

    The start date (for seniority and the vacation rate), SIN and bank account
    stay on the member (encrypted); this holds the claims and deductions the
    member gave (TD1, TP-1015.3) and what the co-op declared (CNESST unit).
    ``None`` claims mean no form: the engine uses the basic personal amounts.
    """

    member = models.OneToOneField(
        "members.Member", on_delete=models.PROTECT, related_name="employment"
    )
    job_title = models.CharField(_("job title"), max_length=120, default="")
    pay_frequency = models.CharField(
        _("pay frequency"),
        max_length=10,
        choices=PayFrequency.choices,
        default=PayFrequency.BIWEEKLY,
    )
    federal_claim = models.DecimalField(
        _("TD1 total claim amount"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    quebec_claim = models.DecimalField(
        _("TP-1015.3 line 10 amount"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    quebec_deductions = models.DecimalField(
        _("TP-1015.3 line 19 deductions (annual)"), max_digits=9, decimal_places=2, default=0
    )
    additional_federal_tax = models.DecimalField(
        _("additional federal tax per pay"), max_digits=9, decimal_places=2, default=0
    )
    additional_quebec_tax = models.DecimalField(
        _("additional Québec tax per pay"), max_digits=9, decimal_places=2, default=0
    )
    union_dues = models.DecimalField(
        _("union dues per pay"), max_digits=9, decimal_places=2, default=0
    )
    fonds_ftq = models.DecimalField(
        _("Fonds de solidarité FTQ shares per pay"), max_digits=9, decimal_places=2, default=0
    )
    fondaction = models.DecimalField(
        _("Fondaction shares per pay"), max_digits=9, decimal_places=2, default=0
    )
    pension_contribution = models.DecimalField(
        _("RRSP/RPP contribution per pay"), max_digits=9, decimal_places=2, default=0
    )
    cnesst_unit_code = models.CharField(_("CNESST classification unit"), max_length=10, blank=True)
    bank_account_returned = models.BooleanField(
        _("the bank returned a deposit to this account"),
        default=False,
        help_text=_("Set when a deposit comes back; cleared when the member gives a new account."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employment record")
        verbose_name_plural = _("employment records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quebec_deductions__gte=0)
                & models.Q(additional_federal_tax__gte=0)
                & models.Q(additional_quebec_tax__gte=0)
                & models.Q(union_dues__gte=0)
                & models.Q(fonds_ftq__gte=0)
                & models.Q(fondaction__gte=0)
                & models.Q(pension_contribution__gte=0),
                name="employment_record_amounts_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Employment record of %(member)s") % {"member": self.member})


# --- Salary requests -------------------------------------------------------------


class RequestBasis(models.TextChoices):
    GROSS = "gross", _("a gross pay")
    NET = "net", _("a net pay")
    COST = "cost", _("a total cost to the activity")
    ALL = "all", _("everything available")


class RequestStatus(models.TextChoices):
    APPROVED = "approved", _("Approved, waiting for the pay date")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    #: Not paid by its run: the budget left no longer paid a salary at the
    #: minimum wage for its hours; its reservation is released.
    HELD = "held", _("Held by the run: budget too small")


class RunKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    OFF_CYCLE = "off_cycle", _("Off-cycle")


class SalaryRequest(models.Model):
    """A member asks to be paid on a pay date from one activity's budget.

    Accepted requests reserve their total cost on the activity (``budgets``)
    until the pay run posts them. ``gross`` and ``total_cost`` are the solved
    figures at the time of the request; the run solves again only when the
    budget changed.
    """

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="salary_requests"
    )
    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, related_name="salary_requests"
    )
    pay_date = models.DateField(_("pay date"))
    kind = models.CharField(
        _("kind of pay"), max_length=10, choices=RunKind.choices, default=RunKind.REGULAR
    )
    basis = models.CharField(_("asked as"), max_length=10, choices=RequestBasis.choices)
    amount = models.DecimalField(
        _("amount asked"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(_("hours worked in the period"), max_digits=6, decimal_places=2)
    gross = models.DecimalField(_("gross pay"), max_digits=12, decimal_places=2)
    #: The statutory holiday indemnity counted in ``gross`` when asked; the run
    #: counts it again and pays the wage (``gross - holiday_pay``) plus its own.
    holiday_pay = models.DecimalField(
        _("statutory holiday indemnity"), max_digits=12, decimal_places=2, default=0
    )
    total_cost = models.DecimalField(_("total cost"), max_digits=12, decimal_places=2)
    budget_at_request = models.DecimalField(
        _("available budget when asked"), max_digits=14, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.APPROVED
    )
    is_exception = models.BooleanField(_("approved by the co-op beyond the budget"), default=False)
    exception_reason = models.CharField(_("reason for the exception"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("salary request")
        verbose_name_plural = _("salary requests")
        ordering = ["-pay_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "pay_date"],
                condition=models.Q(status="approved"),
                name="salary_request_one_per_member_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(gross__gte=0) & models.Q(total_cost__gte=0),
                name="salary_request_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="salary_request_hours_gt_0"
            ),
        ]
        indexes = [models.Index(fields=["pay_date", "status"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.pay_date} {self.gross}"

    @property
    def reservation_key(self) -> str:
        return f"payroll:request:{self.pk}"


# --- Pay runs and payslips ---------------------------------------------------------


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Prepared")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")


class PayRun(models.Model):
    pay_date = models.DateField(_("pay date"))
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(_("pay period number"))
    periods_per_year = models.PositiveSmallIntegerField(_("pay periods in the year"))
    period_start = models.DateField(_("work period start"))
    period_end = models.DateField(_("work period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    #: PDFs rendered before this moment are rendered again (staff asked for it).
    pdfs_from = models.DateTimeField(_("PDFs rendered again from"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        ordering = ["-pay_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pay_date", "kind"], name="pay_run_one_per_date_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pay run of %(date)s") % {"date": self.pay_date})


class PayslipStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


#: The YearToDate fields, each stored as what this payslip added (``ytd_<name>``).
YTD_FIELDS = (
    "earnings",
    "qpp_earnings",
    "qpp",
    "qpp2",
    "ei_earnings",
    "ei",
    "qpip_earnings",
    "qpip",
    "qpip_employer",
    "lump_sums",
    "lump_sum_deductions",
    "lump_sum_qpp_additional",
)


def _money() -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(max_digits=12, decimal_places=2, default=0)


class Payslip(models.Model):
    """One member's pay in one run: the inputs, the year-to-date used, every figure.

    Stored figure by figure (and by T4 / RL-1 box in ``boxes``) so that slips,
    remittances and the next pay's year-to-date are sums over payslips.
    """

    run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="payslips")
    request = models.OneToOneField(SalaryRequest, on_delete=models.PROTECT, related_name="payslip")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="payslips")
    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, related_name="payslips"
    )
    pay_date = models.DateField(_("pay date"))
    status = models.CharField(
        _("status"), max_length=10, choices=PayslipStatus.choices, default=PayslipStatus.POSTED
    )
    hours = models.DecimalField(_("hours paid"), max_digits=6, decimal_places=2)
    hourly_rate = models.DecimalField(_("wage rate"), max_digits=9, decimal_places=2)
    holiday_pay = models.DecimalField(
        _("statutory holiday indemnity"), max_digits=12, decimal_places=2, default=0
    )
    #: The engine's PayInput (without year-to-date), as strings.
    inputs = models.JSONField(_("inputs"))
    #: The year-to-date given to the engine, as strings.
    ytd_before = models.JSONField(_("year-to-date before"))
    boxes = models.JSONField(_("year-end slip boxes"), default=dict)
    bank_excluded = models.CharField(
        _("left out of the bank file because"), max_length=200, blank=True
    )
    returned_at = models.DateTimeField(_("returned by the bank"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The shared document mechanism (``maille.documents``): signed link, sent, viewed.
    link_nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("first opened at"), null=True, blank=True)

    gross = _money()
    lump_sum = _money()
    qpp = _money()
    qpp2 = _money()
    ei = _money()
    qpip = _money()
    federal_tax = _money()
    federal_tax_on_lump_sum = _money()
    quebec_tax = _money()
    quebec_tax_on_lump_sum = _money()
    other_deductions = _money()
    #: What the member receives: the engine's net less the deductions after tax.
    net = _money()
    #: Withheld from the engine's net after tax (``payroll.deductions``): share
    #: instalments deducted from pay. Neither taxable nor part of the total cost.
    after_tax_deductions = _money()
    #: Each line: provider, key, label by language, amount (a string).
    after_tax_lines = models.JSONField(_("deductions after tax"), default=list, blank=True)
    vacation_pay = _money()
    employer_qpp = _money()
    employer_qpp2 = _money()
    employer_ei = _money()
    employer_qpip = _money()
    employer_fss = _money()
    employer_cnt = _money()
    employer_cnesst = _money()
    employer_wsdrf = _money()
    vacation_pay_employer_contributions = _money()
    total_cost = _money()
    # What this payslip added to each year-to-date figure.
    ytd_earnings = _money()
    ytd_qpp_earnings = _money()
    ytd_qpp = _money()
    ytd_qpp2 = _money()
    ytd_ei_earnings = _money()
    ytd_ei = _money()
    ytd_qpip_earnings = _money()
    ytd_qpip = _money()
    ytd_qpip_employer = _money()
    ytd_lump_sums = _money()
    ytd_lump_sum_deductions = _money()
    ytd_lump_sum_qpp_additional = _money()

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["pay_date", "id"]
        indexes = [models.Index(fields=["member", "pay_date"]), models.Index(fields=["run"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(after_tax_deductions__gte=0),
                name="payslip_after_tax_deductions_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.pay_date} {self.net}"


class PayslipPdf(models.Model):
    """A payslip's PDF, rendered by a task worker after the run is posted."""

    payslip = models.OneToOneField(Payslip, on_delete=models.CASCADE, related_name="pdf")
    content = models.BinaryField(editable=False)
    rendered_at = models.DateTimeField(_("rendered at"))

    def __str__(self) -> str:
        return f"PDF {self.payslip_id}"


class BankFile(models.Model):
    """The CPA-005 credit file of a run: its creation number is assigned once."""

    run = models.OneToOneField(PayRun, on_delete=models.PROTECT, related_name="bank_file")
    creation_number = models.PositiveIntegerField(_("file creation number"), unique=True)
    created_on = models.DateField(_("creation date"))
    content = models.TextField(_("content"))
    count = models.PositiveIntegerField(_("credits"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    excluded = models.JSONField(_("members left out"), default=list)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bank file")
        verbose_name_plural = _("bank files")

    def __str__(self) -> str:
        return f"CPA-005 {self.creation_number:04d}"


class Agency(models.TextChoices):
    RQ = "rq", _("Revenu Québec")
    CRA = "cra", _("Canada Revenue Agency")


class Remittance(models.Model):
    """A source-deduction remittance recorded as paid to one agency."""

    agency = models.CharField(_("agency"), max_length=3, choices=Agency.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    #: 1 for a period's remittance; 2, 3… for what pay posted after it added
    sequence = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        ordering = ["-period_start", "agency", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period_start", "sequence"],
                name="remittance_one_per_agency_period_and_sequence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.period_start} #{self.sequence}: {self.amount}"
