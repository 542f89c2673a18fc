"""Writes of payroll, part three: posting a run, its ledger entries, reversals.

**Posting** is a job that works in chunks, each chunk one transaction:
payslips of the approved requests that have none yet (a payslip is unique per
request), their ledger entries (idempotency key per payslip) and the release of
their reservations, and what the payslips withheld after tax recorded by its
providers (``payroll.deductions``: a share instalment becomes a payment on
shares). Killed half-way and run again, it carries on where it
stopped: nothing is paid twice. Each chunk claims its requests with ``SKIP
LOCKED``, so several workers can post one run side by side. The payslips'
PDFs are not rendered here: once the run is posted, task workers render them
(``maille.payroll.rendering``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.services import reservations_release
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many, entry_reverse
from maille.payroll import hooks
from maille.payroll.deductions import line_label, payslip_reversed, payslips_withheld
from maille.payroll.exceptions import PayrollError, RunConflict
from maille.payroll.models import (
    PayRun,
    Payslip,
    PayslipStatus,
    RequestStatus,
    RunStatus,
    SalaryRequest,
)
from maille.payroll.rendering import enqueue_render
from maille.payroll.runs import compute_requests, run_requests

CHUNK = 1000


def _memo(line: dict[str, Any]) -> str:
    """``Parts sociales / Share instalment``: the line's label in both languages."""
    labels = list(dict.fromkeys(line_label(line, code) for code, _name in settings.LANGUAGES))
    return " / ".join(labels)[:200]


def payslip_entry(payslip: Payslip) -> EntrySpec:
    """The ledger entry of one payslip, all on the member's activity (ARCHITECTURE §3)."""
    a = payslip.activity
    rq = (
        payslip.quebec_tax
        + payslip.qpp
        + payslip.qpp2
        + payslip.qpip
        + payslip.employer_qpp
        + payslip.employer_qpp2
        + payslip.employer_qpip
        + payslip.employer_fss
        + payslip.employer_cnesst
    )
    cra = payslip.federal_tax + payslip.ei + payslip.employer_ei
    year_end = payslip.employer_cnt + payslip.employer_wsdrf
    vacation = payslip.vacation_pay + payslip.vacation_pay_employer_contributions
    # Paid with each pay, the vacation pay is in the net (its employer share in
    # the contributions); accrued, it waits in its payable.
    accrued = ZERO if payslip.inputs.get("vacation_paid") else vacation
    employer = [
        ("QPP / RRQ", payslip.employer_qpp),
        ("QPP2 / RRQ2", payslip.employer_qpp2),
        ("EI / AE", payslip.employer_ei),
        ("QPIP / RQAP", payslip.employer_qpip),
        ("FSS", payslip.employer_fss),
        ("CNT", payslip.employer_cnt),
        ("CNESST", payslip.employer_cnesst),
        ("WSDRF / FDRCMO", payslip.employer_wsdrf),
    ]
    lines = [
        LineSpec(accounts.SALARIES, a, payslip.gross + payslip.lump_sum),
        *[LineSpec(accounts.EMPLOYER_CONTRIBUTIONS, a, amount, memo) for memo, amount in employer],
        LineSpec(accounts.VACATION_PAY, a, vacation),
        LineSpec(accounts.QUEBEC_DEDUCTIONS_PAYABLE, a, -rq),
        LineSpec(accounts.FEDERAL_DEDUCTIONS_PAYABLE, a, -cra),
        LineSpec(accounts.YEAR_END_EMPLOYER_PAYABLE, a, -year_end),
        LineSpec(accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE, a, -payslip.other_deductions),
        # Withheld after tax (share instalments): the provider's own entry clears them.
        *[
            LineSpec(
                accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE,
                a,
                -Decimal(line["amount"]),
                _memo(line),
            )
            for line in payslip.after_tax_lines
        ],
        LineSpec(accounts.VACATION_PAY_PAYABLE, a, -accrued),
        LineSpec(accounts.NET_PAY_PAYABLE, a, -payslip.net),
    ]
    return EntrySpec(
        date=payslip.pay_date,
        description=str(
            _("Payslip %(date)s — %(member)s")
            % {"date": payslip.pay_date.isoformat(), "member": payslip.member.number}
        ),
        lines=[line for line in lines if line.amount],
        idempotency_key=f"payroll:payslip:{payslip.pk}",
        source=payslip,
    )


def payrun_post(
    *,
    run: PayRun,
    acting_user: User | None,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> PayRun:
    """Post an approved run, chunk by chunk; safe to run again after a crash.

    Called outside a transaction (the job, the CLI), each chunk commits on its
    own, so a crash loses at most the chunk in flight; inside one (the demo
    loader), the chunks commit with it.
    """
    if run.status == RunStatus.DRAFT:
        raise PayrollError([_("Approve the pay run before posting it.")])
    while True:
        with transaction.atomic():
            locked = PayRun.objects.get(pk=run.pk)
            if locked.status == RunStatus.POSTED:
                run.refresh_from_db()
                return run
            # Claim a chunk: rows another worker holds are skipped, so several
            # workers share one run (the ledger's counter lock still orders
            # their postings); a payslip is unique per request besides.
            unpaid = run_requests(locked).filter(
                ~Exists(Payslip.objects.filter(request=OuterRef("pk")))
            )
            requests = list(
                unpaid.select_for_update(skip_locked=True, of=("self",))
                .select_related("member", "activity")
                .order_by("id")[:chunk]
            )
            if not requests:
                if not unpaid.exists():  # none left, none in another worker's hands
                    posted = PayRun.objects.filter(pk=run.pk, status=RunStatus.APPROVED).update(
                        status=RunStatus.POSTED,
                        posted_at=timezone.now(),
                        progress_done=Payslip.objects.filter(run_id=run.pk).count(),
                    )
                    if posted:  # the PDFs and their emails: task workers, after commit
                        enqueue_render(locked)
                run.refresh_from_db()
                return run
            every = compute_requests(locked, requests)
            computed = [c for c in every if not c.held]
            held = [c.request for c in every if c.held]
            payslips: list[Payslip] = []
            if computed:
                payslips = _payslips_insert(
                    [
                        Payslip(
                            run=locked,
                            request=c.request,
                            member=c.request.member,
                            activity=c.request.activity,
                            pay_date=locked.pay_date,
                            **c.fields,
                        )
                        for c in computed
                    ]
                )
                entries_post_many(
                    entries=[payslip_entry(p) for p in payslips],
                    acting_user=acting_user,
                    savepoint=False,
                )
                # The providers record what was withheld in this chunk's transaction:
                # a crash loses both, a second posting finds both.
                payslips_withheld(payslips, acting_user)
                hooks.posted(payslips)
            ids = [c.request.pk for c in computed]
            SalaryRequest.objects.filter(pk__in=ids).update(status=RequestStatus.PAID)
            _requests_hold(held, acting_user)
            reservations_release(keys=[r.reservation_key for r in requests])
            done = Payslip.objects.filter(run=locked).count()
            PayRun.objects.filter(pk=run.pk).update(progress_done=done)
            total = locked.progress_total
        if progress is not None:
            progress(done, total)


def _requests_hold(requests: list[SalaryRequest], acting_user: User | None) -> None:
    """Hold the requests the budget no longer pays (``runs.compute_requests``).

    They leave the run unpaid rather than as a zero pay, which the ledger
    refuses, or one below the minimum wage, which the law does; their
    reservations are released with the others' (the member asks again once
    the budget is back). A history row per request names who posted.
    """
    for request in requests:
        request.status = RequestStatus.HELD
        set_actor(request, acting_user)
        request.save(update_fields=["status"])


def payrun_resume(*, run: PayRun, acting_user: User) -> PayRun:
    """Post again a run whose posting stopped part-way (a worker killed, a crash).

    Posting is idempotent and resumable (``payrun_post``), so this only
    enqueues the job again, after commit: asked twice, or while a worker still
    posts, the chunks are shared and nothing is paid twice. A posted run has
    nothing left to post: it is returned as it is.
    """
    run = PayRun.objects.get(pk=run.pk)
    if run.status == RunStatus.DRAFT:
        raise RunConflict([_("Approve the pay run before posting it.")])
    if run.status == RunStatus.APPROVED:
        run_id, user_id = run.pk, acting_user.pk
        transaction.on_commit(lambda: payrun_post_job.enqueue(run_id=run_id, user_id=user_id))
    return run


_PAYSLIP_FIELDS = [f for f in Payslip._meta.concrete_fields if not f.primary_key]


def _payslips_insert(payslips: list[Payslip]) -> list[Payslip]:
    """Insert a chunk's payslips and give each its id.

    On PostgreSQL, ids from the sequence in one round trip and the rows by
    COPY: an INSERT of a thousand rows of fifty columns spent most of its time
    adapting fifty thousand parameters in Python (the ledger does the same,
    ``ledger.services``). Elsewhere, ``bulk_create``.
    """
    if connection.vendor != "postgresql":
        made = Payslip.objects.bulk_create(payslips)
        if any(p.pk is None for p in made):  # SQLite before 3.35 gives no ids back
            by_request = {
                p.request_id: p
                for p in Payslip.objects.filter(
                    request_id__in=[p.request_id for p in made]
                ).select_related("member", "activity")
            }
            made = [by_request[p.request_id] for p in made]
        return made
    table = Payslip._meta.db_table
    now = timezone.now()
    columns = ", ".join(["id", *(str(f.column) for f in _PAYSLIP_FIELDS)])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608
            "FROM generate_series(1, %s)",
            [len(payslips)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, payslip in zip(ids, payslips, strict=True):
                payslip.pk = pk
                payslip.created_at = now
                payslip._state.adding = False
                payslip._state.db = connection.alias
                copy.write_row([pk, *(_copy_value(f, payslip) for f in _PAYSLIP_FIELDS)])
    return payslips


def _copy_value(field: Any, payslip: Payslip) -> Any:
    value = getattr(payslip, field.attname)
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=DjangoJSONEncoder)
    return value


@transaction.atomic
def payslip_reverse(
    *, payslip: Payslip, acting_user: User, reason: str, date: dt.date | None = None
) -> Payslip:
    """Reverse a payslip found wrong: a reversing entry; the next pay's year-to-date
    no longer counts it."""
    from maille.ledger.models import JournalEntry

    if not reason.strip():
        raise PayrollError([_("Give the reason for the reversal.")], field="reason")
    updated = Payslip.objects.filter(pk=payslip.pk, status=PayslipStatus.POSTED).update(
        status=PayslipStatus.REVERSED
    )
    if not updated:
        raise RunConflict([_("This payslip is already reversed.")])
    entry = JournalEntry.objects.get(idempotency_key=f"payroll:payslip:{payslip.pk}")
    day = max(date or timezone.localdate(), entry.date)
    entry_reverse(entry=entry, date=day, acting_user=acting_user, reason=reason)
    payslip.refresh_from_db()
    # What it withheld after tax is given back to its providers (a share
    # payment is undone: the instalment is owed again, and the next pay asks it).
    payslip_reversed(payslip=payslip, date=day, acting_user=acting_user)
    return payslip


@task()
def payrun_post_job(*, run_id: int, user_id: int | None) -> int:
    """Post the run (idempotent and resumable); returns the number of payslips."""
    run = PayRun.objects.get(pk=run_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    run = payrun_post(run=run, acting_user=user)
    return run.progress_done
