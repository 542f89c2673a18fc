"""Slow payroll work, run by a task worker after commit: posting a pay run."""

from __future__ import annotations

from django.tasks import task

from maille.core.models import User
from maille.payroll.models import PayRun


@task()
def payrun_post_job(*, run_id: int, user_id: int | None) -> int:
    """Post the run (idempotent and resumable); returns the number of payslips."""
    from maille.payroll.services import payrun_post

    run = PayRun.objects.get(pk=run_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    run = payrun_post(run=run, acting_user=user)
    return run.progress_done
