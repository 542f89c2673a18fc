"""Daily housekeeping tasks (``maille scheduler`` enqueues them).

Each is idempotent: running it twice, or after a crash, gives the same result.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone


@task()
def sessions_clear_expired() -> int:
    deleted, _detail = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@task()
def login_attempts_prune(days: int = 30) -> int:
    """Forget failed-login records after ``days`` (Law 25: keep no more than needed)."""
    from axes.models import AccessAttempt, AccessFailureLog

    cutoff = timezone.now() - dt.timedelta(days=days)
    a, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    b, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return int(a) + int(b)
