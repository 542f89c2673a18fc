"""The collection demo: cases at every step, a dispute, a broken promise, a formal notice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import TestCase

from maille.collection.models import (
    CaseEvent,
    Dispute,
    EventKind,
    FormalNotice,
    Promise,
    Recovery,
    Reminder,
    ReminderStatus,
)
from maille.core.models import Role, User
from maille.demo import clients as clients_demo
from maille.demo import collection as demo
from maille.demo import members as members_demo

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_cases_at_every_step():
    staff = User.objects.create_user("conseil@maille.coop", "x", role=Role.STAFF)
    members_demo.load_small(staff)
    clients_demo.load_small(staff)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = demo.load_small(staff)
    assert result["runs"] == 29
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert {"friendly", "firm", "call"} <= kinds
    assert Reminder.objects.filter(status=ReminderStatus.TASK).exists()
    assert Dispute.objects.filter(status="open").count() == 1
    assert Promise.objects.filter(status="broken").count() == 1
    assert CaseEvent.objects.filter(kind=EventKind.PROMISE_BROKEN).exists()
    notice = FormalNotice.objects.get()
    assert notice.principal > 0
    assert result["recovered"] == 1
    recovery = Recovery.objects.get()
    assert recovery.automatic and recovery.amount == Decimal("300.00")
