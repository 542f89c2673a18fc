"""Slow payroll work, run by task workers after commit: posting a run, rendering its PDFs."""

from __future__ import annotations

from django.tasks import task

from maille.core.models import User
from maille.payroll.models import PayRun


@task()
def payrun_post_job(*, run_id: int, user_id: int | None) -> int:
    """Post the run (idempotent and resumable); returns the number of payslips."""
    from maille.payroll.posting import payrun_post

    run = PayRun.objects.get(pk=run_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    run = payrun_post(run=run, acting_user=user)
    return run.progress_done


@task()
def payslip_pdfs_job(*, run_id: int) -> int:
    """Render the posted run's missing PDFs and email them (idempotent; several
    workers may run it side by side); returns how many this worker rendered."""
    from maille.payroll.rendering import payslip_pdfs_render

    return payslip_pdfs_render(run=PayRun.objects.get(pk=run_id))
