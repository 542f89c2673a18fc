import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_scheduler_runs_the_daily_jobs_once(capsys):
    store = SessionStore()
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=1)
    )
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "sessions_clear_expired: SUCCESSFUL" in out
    assert not Session.objects.filter(pk=store.session_key).exists()
    call_command("scheduler", "--once")  # idempotent: a second run changes nothing
    assert "SUCCESSFUL" in capsys.readouterr().out
