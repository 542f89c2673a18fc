"""The demo co-op's payroll: its calendar and bank settings, employment records,
a posted pay run of the last fiscal year, a recent one with its payslips and
bank file, and requests waiting for the next pay date — all made through the
payroll services.

Salaries are drawn from each activity's available budget (``maille.budgets``):
a member whose budget does not pay a modest salary is paid through a staff
exception, recorded with its reason, as the co-op would decide it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.budgets.selectors import budgets_of
from maille.core.models import User
from maille.governance.selectors import fiscal_year_bounds, last_fiscal_year_end
from maille.members.models import ActivityKind, ActivityStatus, Member, MemberStatus
from maille.payroll import services
from maille.payroll.bankfile import bank_file_create, bank_file_mark_sent
from maille.payroll.calendar import PayPeriod, pay_periods
from maille.payroll.engine.params import available_years
from maille.payroll.models import PayrollOperationsSettings, RequestBasis

JOB_TITLES = ("Illustratrice", "Traducteur", "Graphiste", "Développeuse web", "Photographe")
#: A modest salary: what a request asks when the budget pays at least that much.
MODEST_COST = Decimal("1500.00")
EXCEPTION = "Démo : avance sur contrat accepté, décision du conseil"


def _settings() -> None:
    PayrollOperationsSettings.objects.get_or_create(
        valid_from=dt.date(2020, 1, 1),
        defaults={
            "first_pay_date": dt.date(2026, 1, 8),
            "originator_id": "0000012345",
            "originator_short_name": "COOP MAILLE",
            "originator_long_name": "COOPERATIVE MAILLE",
            "data_centre": "81510",
            "return_account": "815-30001-0000001",
            "note": "Démo : numéro d'expéditeur fictif; la banque attribue le vrai.",
        },
    )


def _ask(member: Member, staff: User, pay_date: dt.date, today: dt.date) -> None:
    activity = (
        member.activities.filter(kind=ActivityKind.MEMBER, status=ActivityStatus.OPEN)
        .order_by("code")
        .first()
    )
    if activity is None:
        return
    available = budgets_of([activity.pk])[activity.pk].available
    pays_modestly = available >= MODEST_COST
    services.salary_request_create(
        member=member,
        activity=activity,
        basis=RequestBasis.ALL if pays_modestly else RequestBasis.COST,
        amount=None if pays_modestly else MODEST_COST,
        hours=Decimal("70"),
        pay_date=pay_date,
        acting_user=member.user if pays_modestly else staff,
        exception_reason="" if pays_modestly else EXCEPTION,
        today=today,
    )


def _last_fiscal_year_pay(
    active: list[Member], staff: User, periods: list[PayPeriod], *, before: dt.date
) -> None:
    """A posted pay of the last fiscal year ended (the by-laws' year, see
    ``demo.governance``): the ristournes the board simulates for that year are
    computed on its salaries. Only a pay date of a year with payroll parameters;
    no bank file (the expense claims waiting for the next pay would ride in it)."""
    start, end = fiscal_year_bounds(last_fiscal_year_end(before).year)
    years = set(available_years())
    within = [
        p
        for p in periods
        if start <= p.pay_date <= end and p.pay_date < before and p.pay_date.year in years
    ]
    if not within:
        return
    period = within[-1]
    for member in active:
        _ask(member, staff, period.pay_date, period.cutoff)
    run = services.payrun_prepare(pay_date=period.pay_date, acting_user=staff)
    services.payrun_approve(run=run, acting_user=staff)
    services.payrun_post(run=run, acting_user=staff)


def load_small(staff: User) -> None:
    _settings()
    active = list(
        Member.objects.filter(status=MemberStatus.ACTIVE).select_related("user").order_by("number")
    )
    for i, member in enumerate(active):
        services.employment_record_update(
            member=member,
            acting_user=staff,
            job_title=JOB_TITLES[i % len(JOB_TITLES)],
            cnesst_unit_code="",
        )
    today = timezone.localdate()
    years = (today.year - 1, today.year, today.year + 1)
    periods = [p for year in years for p in pay_periods(year)]
    past = [p for p in periods if p.pay_date < today][-1]
    upcoming = next(p for p in periods if p.cutoff >= today)
    _last_fiscal_year_pay(active, staff, periods, before=past.pay_date)
    for member in active:
        _ask(member, staff, past.pay_date, past.cutoff)
    run = services.payrun_prepare(pay_date=past.pay_date, acting_user=staff)
    services.payrun_approve(run=run, acting_user=staff)
    run = services.payrun_post(run=run, acting_user=staff)
    bank_file = bank_file_create(run=run, acting_user=staff)
    bank_file_mark_sent(bank_file=bank_file, acting_user=staff)
    for member in active[:2]:
        _ask(member, staff, upcoming.pay_date, today)
