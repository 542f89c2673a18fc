"""Confirmation and calendar-feed emails go in the recipient member's language."""

from __future__ import annotations

from django.core import mail

from maille.coworking import services
from maille.coworking.tests.helpers import at, open_day
from maille.documents.sending import document_email_send


def _speaks(member, language):
    member.user.language = language
    member.user.save(update_fields=["language"])


def test_a_confirmation_goes_in_english_to_a_member_who_reads_english(
    room, funded, camille, django_capture_on_commit_callbacks
):
    _speaks(camille, "en")
    day = open_day()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            resource=room,
            activity=funded,
            start=at(day, 9),
            end=at(day, 10),
            acting_user=camille.user,
        )
    [sent] = mail.outbox
    assert sent.to == ["camille@maille.test"]
    assert sent.subject.startswith("Booking confirmed: Salle Jarry")
    assert "Hello Camille Tremblay," in sent.body and "is confirmed" in sent.body
    assert sent.attachments[0][2] == "text/calendar"


def test_a_confirmation_goes_in_french_to_a_member_who_reads_french(
    room, funded, camille, django_capture_on_commit_callbacks, settings
):
    _speaks(camille, "fr")
    settings.LANGUAGE_CODE = "en"  # whatever the page or the worker speaks
    day = open_day()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            resource=room,
            activity=funded,
            start=at(day, 9),
            end=at(day, 10),
            acting_user=camille.user,
        )
    [sent] = mail.outbox
    assert sent.subject.startswith("Réservation confirmée : Salle Jarry")
    assert "Bonjour Camille Tremblay," in sent.body


def test_the_feed_email_goes_in_each_members_language(camille, jerome):
    _speaks(camille, "en")
    _speaks(jerome, "fr")
    assert document_email_send(
        kind="coworking_feed", document_id=services.feed_of(member=camille).pk
    )
    assert document_email_send(
        kind="coworking_feed", document_id=services.feed_of(member=jerome).pk
    )
    english, french = mail.outbox
    assert english.attachments == [] and french.attachments == []
    assert (english.to, english.subject) == (["camille@maille.test"], "Your bookings calendar")
    assert english.body.startswith("Subscribe to this address in your calendar: ")
    assert "/coworking/ical/" in english.body
    assert (french.to, french.subject) == (
        ["jerome@maille.test"],
        "Le calendrier de vos réservations",
    )
    assert french.body.startswith("Abonnez votre agenda à cette adresse : ")
