"""Payslip PDFs, rendered by task workers once the run is posted, and their emails.

Posting a run stores every figure and no PDF (rendering is the slow part, and
a run of thousands must post in a minute). When the run is posted, a task
(``payslip_pdfs_job``, below) renders the PDFs in chunks, each chunk claimed
with ``SKIP LOCKED`` so several workers share a run, and each PDF stored
(``PayslipPdf``). Each payslip rendered for the first time is emailed to its
member through the shared document mechanism (signed link, after commit, in
the member's language, no attachment).

Idempotent: the job renders only the payslips that have no PDF, or one older
than a re-render staff asked for (``PayRun.pdfs_from``); run twice, the second
run renders and sends nothing. The pay run page shows the progress.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.documents.sending import send_after_commit
from maille.payroll.exceptions import PayrollError
from maille.payroll.models import EmploymentRecord, PayRun, Payslip, PayslipPdf, RunStatus

RENDER_CHUNK = 20


def _due(run: PayRun) -> QuerySet[Payslip]:
    """The run's payslips whose PDF is missing or older than the re-render asked for."""
    qs = Payslip.objects.filter(run_id=run.pk)
    if run.pdfs_from is None:
        return qs.filter(pdf__isnull=True)
    return qs.filter(Q(pdf__isnull=True) | Q(pdf__rendered_at__lt=run.pdfs_from))


def pdf_progress(run: PayRun) -> tuple[int, int]:
    """(PDFs ready, payslips) of a run, for its page."""
    total = Payslip.objects.filter(run_id=run.pk).count()
    return total - _due(run).count(), total


def payslip_pdfs_render(
    *,
    run: PayRun,
    chunk: int = RENDER_CHUNK,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Render the run's due PDFs (all of them unless ``limit``); returns how many.

    Called outside a transaction, each chunk commits on its own (a worker
    killed loses at most its chunk); the emails of a chunk leave after its
    commit.
    """
    from maille.payroll.pdf import PayslipRenderer  # WeasyPrint loads on first use

    renderer = PayslipRenderer()
    rendered = 0
    while limit is None or rendered < limit:
        size = chunk if limit is None else min(chunk, limit - rendered)
        with transaction.atomic():
            run = PayRun.objects.get(pk=run.pk)
            batch = list(
                _due(run)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("member__user", "activity", "run")
                .order_by("id")[:size]
            )
            if not batch:
                return rendered
            titles = dict(
                EmploymentRecord.objects.filter(
                    member_id__in=[p.member_id for p in batch]
                ).values_list("member_id", "job_title")
            )
            had = set(
                PayslipPdf.objects.filter(payslip__in=batch).values_list("payslip_id", flat=True)
            )
            now = timezone.now()
            made = [
                PayslipPdf(
                    payslip=p,
                    content=renderer.render(p, job_title=titles.get(p.member_id, "")),
                    rendered_at=now,
                )
                for p in batch
            ]
            PayslipPdf.objects.filter(payslip_id__in=had).delete()
            PayslipPdf.objects.bulk_create(made)
            for payslip in batch:
                if payslip.pk not in had and payslip.sent_at is None:
                    send_after_commit(payslip)
            rendered += len(batch)
        if progress is not None:
            progress(rendered)
    return rendered


def payslip_pdfs_refresh(*, run: PayRun, acting_user: User) -> PayRun:
    """Staff ask for the run's PDFs to be rendered again (a template or a name fixed).

    Emails are not sent again: the links already sent open the new PDF.
    """
    if run.status != RunStatus.POSTED:
        raise PayrollError([_("The PDFs are rendered once the run is posted.")])
    PayRun.objects.filter(pk=run.pk).update(pdfs_from=timezone.now())
    run.refresh_from_db()
    enqueue_render(run)
    return run


def enqueue_render(run: PayRun) -> None:
    """Start the rendering job once the caller's transaction commits."""
    run_id = run.pk
    transaction.on_commit(lambda: payslip_pdfs_job.enqueue(run_id=run_id))


@task()
def payslip_pdfs_job(*, run_id: int) -> int:
    """Render the posted run's missing PDFs and email them (idempotent; several
    workers may run it side by side); returns how many this worker rendered."""
    return payslip_pdfs_render(run=PayRun.objects.get(pk=run_id))
