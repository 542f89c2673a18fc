"""The daily run: steps on the calendar, idempotence, the contact window, R-2.2 holds."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from maille.collection import services
from maille.collection.calendar import in_contact_window, is_working_day, step_date
from maille.collection.dunning import collection_run
from maille.collection.models import (
    CaseEvent,
    EventKind,
    FormalNotice,
    InvoiceDunning,
    Reminder,
    ReminderStatus,
)

DUE = dt.date(2026, 4, 1)  # invoices issued on 2026-03-02, 30 days


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def run(day: dt.date, hour: int = 9, **kw):
    with (
        time_machine.travel(at(day, hour), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return collection_run(date=day, now=at(day, hour), **kw)


@pytest.fixture
def overdue(issue, camille_activity, client_qc, contact):
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        return issue(camille_activity, client_qc)


@pytest.mark.django_db
def test_steps_fall_on_working_days_past_weekends_and_quebec_holidays():
    assert step_date(DUE, 3) == dt.date(2026, 4, 6)  # Saturday 4 → Monday 6
    assert step_date(dt.date(2026, 6, 21), 3) == dt.date(2026, 6, 25)  # Fête nationale
    assert step_date(dt.date(2026, 3, 31), 3) == dt.date(2026, 4, 6)  # Good Friday, weekend
    assert not is_working_day(dt.date(2026, 7, 1))
    assert is_working_day(dt.date(2026, 7, 2))


@pytest.mark.django_db
def test_the_contact_window_is_8_to_20_on_working_days():
    start, end = dt.time(8), dt.time(20)
    assert in_contact_window(at(dt.date(2026, 4, 6), 8), start=start, end=end)
    assert not in_contact_window(at(dt.date(2026, 4, 6), 20), start=start, end=end)
    assert not in_contact_window(at(dt.date(2026, 4, 6), 7, 59), start=start, end=end)
    assert not in_contact_window(at(dt.date(2026, 4, 4), 10), start=start, end=end)  # Saturday
    assert not in_contact_window(at(dt.date(2026, 4, 3), 10), start=start, end=end)  # Good Friday


def test_the_friendly_reminder_waits_for_the_first_working_day(overdue):
    assert run(dt.date(2026, 4, 4)).reminders == 0  # its day is Saturday: moved to Monday
    result = run(dt.date(2026, 4, 6))
    assert result.as_dict() == {"invoices": 1, "reminders": 1, "notices": 0, "held": 0}
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.SENT
    assert overdue.number in reminder.body
    assert [m.to for m in mail.outbox] == [["comptes@fleuve.test"]]


def test_a_second_run_the_same_day_sends_nothing(overdue):
    first = run(dt.date(2026, 4, 6))
    outbox = len(mail.outbox)
    second = run(dt.date(2026, 4, 6))
    assert first.reminders == 1
    assert second.as_dict() == {"invoices": 1, "reminders": 0, "notices": 0, "held": 0}
    assert Reminder.objects.count() == 1
    assert len(mail.outbox) == outbox


def test_at_night_the_reminder_is_queued_and_leaves_in_the_next_window(overdue):
    night = run(dt.date(2026, 4, 6), hour=21)
    assert night.reminders == 1  # queued by this run
    assert Reminder.objects.get().status == ReminderStatus.QUEUED
    assert mail.outbox == []
    morning = run(dt.date(2026, 4, 7), hour=8)
    assert morning.reminders == 1  # sent by this one
    assert Reminder.objects.get().status == ReminderStatus.SENT
    assert len(mail.outbox) == 1
    assert run(dt.date(2026, 4, 7), hour=10).reminders == 0


def test_the_member_is_told_before_the_firm_step_and_may_hold_it(overdue, camille):
    run(dt.date(2026, 4, 6))
    # Firm at +15, and 12 days after the friendly one (April 18, a Saturday):
    # Monday April 20; the member is told 3 days before.
    assert run(dt.date(2026, 4, 16)).members_told == 0
    told = run(dt.date(2026, 4, 17))
    assert told.members_told == 1 and told.reminders == 0
    assert any(camille.user.email in m.to for m in mail.outbox)
    dunning = InvoiceDunning.objects.get()
    services.step_hold(
        dunning=dunning, reason="Le client a promis par téléphone", acting_user=camille.user
    )
    held = run(dt.date(2026, 4, 20))
    assert held.held == 1 and held.reminders == 0
    assert CaseEvent.objects.filter(kind=EventKind.HOLD).exists()


def test_a_firm_step_never_goes_the_day_the_member_is_told(overdue):
    run(dt.date(2026, 4, 6))
    late = run(dt.date(2026, 4, 22))  # first run since the firm day: tell, then wait
    assert late.members_told == 1 and late.reminders == 0
    assert run(dt.date(2026, 4, 24)).reminders == 0
    assert run(dt.date(2026, 4, 27)).reminders == 1


def test_nothing_is_sent_after_a_written_dispute(overdue, sylvie):
    run(dt.date(2026, 4, 6))
    services.dispute_raise(
        invoice_id=overdue.pk,
        what="Travail non livré",
        raised_by="Nathalie Roy",
        acting_user=sylvie,
    )
    outbox = len(mail.outbox)
    for day in (dt.date(2026, 4, 20), dt.date(2026, 4, 27), dt.date(2026, 5, 11)):
        result = run(day)
        assert result.held == 1 and result.reminders == 0 and result.notices == 0
    assert len([m for m in mail.outbox[outbox:] if "comptes@fleuve.test" in m.to]) == 0
    assert Reminder.objects.count() == 1


def test_no_call_after_a_written_dispute_even_once_decided(overdue, sylvie):
    dispute = services.dispute_raise(
        invoice_id=overdue.pk, what="Montant", raised_by="N. Roy", acting_user=sylvie
    )
    services.dispute_decide(dispute=dispute, outcome="rejected", decision="Dû", acting_user=sylvie)
    case = dispute.case
    with pytest.raises(services.CollectionError, match=r"R-2\.2"):
        services.call_record(case=case, invoice=overdue, text="Appel", acting_user=sylvie)


def test_nothing_goes_to_a_client_who_named_their_lawyer(overdue, sylvie):
    run(dt.date(2026, 4, 6), hour=21)  # queued at night
    case = InvoiceDunning.objects.get().case
    services.lawyer_notice_record(
        case=case,
        on=dt.date(2026, 4, 6),
        lawyer_name="Me Paré",
        lawyer_email="",
        acting_user=sylvie,
    )
    result = run(dt.date(2026, 4, 7))
    assert result.held == 1 and result.reminders == 0
    assert Reminder.objects.get().status == ReminderStatus.CANCELLED
    assert mail.outbox == []


def test_every_day_for_six_weeks_each_step_happens_once(overdue):
    done: dict[str, list[dt.date]] = {}
    day = dt.date(2026, 4, 2)
    while day <= dt.date(2026, 5, 20):
        result = run(day)
        for key in ("reminders", "notices", "calls"):
            if getattr(result, key):
                done.setdefault(key, []).append(day)
        day += dt.timedelta(days=1)
    assert done == {
        "reminders": [dt.date(2026, 4, 6), dt.date(2026, 4, 20)],
        "calls": [dt.date(2026, 4, 30)],
        "notices": [dt.date(2026, 5, 11)],
    }
    notice = FormalNotice.objects.get()
    assert notice.deadline == dt.date(2026, 5, 21)
    assert list(notice.invoices.all()) == [overdue]


def test_dry_run_writes_nothing(overdue):
    result = run(dt.date(2026, 4, 6), dry_run=True)
    assert result.reminders == 1
    assert Reminder.objects.count() == 0 and InvoiceDunning.objects.count() == 0
    assert mail.outbox == []


def test_the_command_prints_the_counts_as_json(overdue):
    out = StringIO()
    with time_machine.travel(at(dt.date(2026, 4, 6), 9), tick=False):
        call_command("collection", "run", "--date", "2026-04-06", "--json", stdout=out)
        again = StringIO()
        call_command("collection", "run", "--date", "2026-04-06", "--json", stdout=again)
    assert json.loads(out.getvalue()) == {"invoices": 1, "reminders": 1, "notices": 0, "held": 0}
    assert json.loads(again.getvalue()) == {"invoices": 1, "reminders": 0, "notices": 0, "held": 0}


def test_a_broken_promise_resumes_the_steps(overdue, sylvie):
    with time_machine.travel(at(dt.date(2026, 4, 2)), tick=False):
        services.promise_make(
            invoice_id=overdue.pk,
            promised_on=dt.date(2026, 4, 10),
            amount=overdue.total,
            acting_user=sylvie,
        )
    assert run(dt.date(2026, 4, 6)).held == 1
    result = run(dt.date(2026, 4, 13))
    assert result.promises_broken == 1
    assert result.reminders == 1  # the friendly one, at last
