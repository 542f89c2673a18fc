"""In production, tasks go to the database and ``maille worker`` runs them."""

import contextlib
import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.tasks import task_backends
from django.test import override_settings
from django.utils import timezone

from maille.cli import ALIASES


# transaction=True: the worker closes its database connection when it ends,
# which a test wrapped in a transaction could not survive. serialized_rollback
# restores the migrations' rows afterwards, as the other transactional tests
# of the suite expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_worker_runs_an_enqueued_job():
    store = SessionStore()
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=1)
    )
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=tasks):
        _forget_backends()  # rebuilt from TASKS on next use
        try:
            call_command("scheduler", "--once")
            assert Session.objects.filter(pk=store.session_key).exists()  # only queued
            call_command("db_worker", "--batch", "--no-startup-delay")
        finally:
            _forget_backends()
    assert not Session.objects.filter(pk=store.session_key).exists()


def test_maille_worker_is_the_database_worker():
    assert ALIASES["worker"] == "db_worker"


def _forget_backends() -> None:
    task_backends.__dict__.pop("settings", None)
    with contextlib.suppress(AttributeError):
        del task_backends["default"]
