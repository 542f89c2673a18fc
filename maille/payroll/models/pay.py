"""Members' employment records, salary requests, pay runs, payslips, bank files
and remittances: what a pay run reads and writes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.documents.links import new_nonce


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
    #: Of ``hours``, those beyond the standard workweek, paid at time and a half
    #: (``pay.wage_split``); ``overtime_pay`` is part of ``gross``.
    overtime_hours = models.DecimalField(
        _("overtime hours"), max_digits=6, decimal_places=2, default=0
    )
    overtime_pay = models.DecimalField(
        _("overtime pay"), max_digits=12, decimal_places=2, default=0
    )
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
    #: A net left out of its run's file or returned, paid since by a later run's
    #: file (``carried_in``) or another way (a cheque): never both, never twice.
    carried_in = models.ForeignKey(
        "BankFile",
        on_delete=models.PROTECT,
        related_name="carried_payslips",
        null=True,
        blank=True,
        verbose_name=_("paid in the bank file of a later run"),
    )
    paid_otherwise_on = models.DateField(_("paid another way on"), null=True, blank=True)
    paid_otherwise_reference = models.CharField(
        _("cheque or payment reference"), max_length=60, blank=True
    )
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
            models.CheckConstraint(
                condition=models.Q(carried_in__isnull=True)
                | models.Q(paid_otherwise_on__isnull=True),
                name="payslip_paid_once",
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

    @property
    def payment_day(self) -> dt.date:
        """The day the payments of the sent file are posted: the run's pay date, or the
        file's creation date when it was made later."""
        return max(self.run.pay_date, self.created_on)


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
