"""A "letter" step: a PDF letter to print and post, in the client's language, on the case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from maille.collection.dunning import collection_run
from maille.collection.letters import _texts
from maille.collection.models import (
    CaseEvent,
    Channel,
    DunningStep,
    EventKind,
    Reminder,
    ReminderStatus,
)
from maille.tests_support import factories

DAY = dt.date(2026, 4, 6)  # the friendly step's day for an invoice due on April 1


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture(autouse=True)
def _by_letter(db):
    DunningStep.objects.filter(position=1).update(channel=Channel.LETTER)


def _run(day: dt.date = DAY):
    with (
        time_machine.travel(at(day), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return collection_run(date=day, now=at(day))


@pytest.fixture
def english(issue, camille_activity):
    client = factories.ClientFactory(
        legal_name="Northern Lights Media Ltd.", province="ON", language="en"
    )
    factories.ClientContactFactory(client=client, name="Payables", email="ap@northern.test")
    with time_machine.travel(at(dt.date(2026, 3, 2)), tick=False):
        return issue(camille_activity, client)


def test_a_letter_step_renders_a_pdf_stored_on_the_reminder_and_sends_no_email(english):
    result = _run()
    assert result.reminders == 1 and result.letters == 1
    reminder = Reminder.objects.get()
    assert reminder.channel == Channel.LETTER and reminder.status == ReminderStatus.SENT
    assert bytes(reminder.letter_pdf).startswith(b"%PDF")  # rendered after commit
    assert not [m for m in mail.outbox if "ap@northern.test" in m.to]  # posted, not emailed
    assert CaseEvent.objects.filter(kind=EventKind.REMINDER, text__icontains="poster").exists()
    assert _run().reminders == 0  # idempotent: no second letter
    assert Reminder.objects.count() == 1


def test_the_letter_is_in_french_then_in_english_for_an_english_client(english):
    _run()
    reminder = Reminder.objects.select_related("dunning__invoice").get()
    french, english_text = _texts(reminder, "fr"), _texts(reminder, "en")
    assert french["subject"].startswith("Rappel") and english_text["subject"].startswith("Reminder")
    assert english.number in french["subject"] and english.number in english_text["subject"]
    assert reminder.language == "en"


def test_staff_download_the_letter_and_no_one_else(english, as_sylvie, as_camille, as_jerome):
    _run()
    reminder = Reminder.objects.get()
    url = f"/collection/letters/{reminder.pk}/pdf/"
    response = as_sylvie.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert as_camille.get(url).status_code == 404
    assert as_jerome.get(url).status_code == 404
    case_page = as_sylvie.get(f"/collection/cases/{reminder.dunning.case_id}/").content.decode()
    assert url in case_page
