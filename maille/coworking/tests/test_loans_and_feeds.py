"""Equipment loans and their reminders; iCal feeds (never expire, revocable)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from maille.conftest import login
from maille.coworking import services
from maille.coworking.exceptions import BookingConflict
from maille.coworking.models import Loan
from maille.coworking.tasks import coworking_overdue_loans
from maille.coworking.tests.helpers import at, open_day, resource
from maille.documents.links import link_path
from maille.web.management.commands.scheduler import DAILY_JOBS


@pytest.fixture
def camera(place):
    return resource(place, "equipment", "Caméra Sony", buffer=30)


def test_check_out_and_in_with_condition_notes(camera, camille, sylvie):
    due = timezone.now() + dt.timedelta(days=2)
    loan = services.loan_check_out(
        resource=camera, member=camille, due_at=due, condition="Neuf", acting_user=sylvie
    )
    with pytest.raises(BookingConflict):
        services.loan_check_out(
            resource=camera, member=camille, due_at=due, condition="", acting_user=sylvie
        )
    services.loan_check_in(loan=loan, condition="Rayure sur l'objectif", acting_user=sylvie)
    camera.refresh_from_db()
    assert camera.condition == "Rayure sur l'objectif"
    with pytest.raises(PermissionError):
        services.loan_check_out(
            resource=camera, member=camille, due_at=due, condition="", acting_user=camille.user
        )


def test_overdue_loans_are_reminded_once_a_day(camera, camille, sylvie):
    assert any(job.task is coworking_overdue_loans for job in DAILY_JOBS)
    services.loan_check_out(
        resource=camera,
        member=camille,
        due_at=timezone.now() + dt.timedelta(hours=1),
        condition="Bon",
        acting_user=sylvie,
    )
    assert services.loans_remind_overdue() == 0  # not due yet
    later = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(later):
        assert services.loans_remind_overdue() == 1
        assert services.loans_remind_overdue() == 0  # idempotent: once a day
    assert len(mail.outbox) == 1 and "Caméra Sony" in mail.outbox[0].subject
    with time_machine.travel(later + dt.timedelta(days=1)):
        assert services.loans_remind_overdue() == 1
    assert Loan.objects.get().reminded_on is not None


def test_a_members_feed_never_expires_and_can_be_revoked(room, funded, camille):
    day = open_day()
    services.booking_create(
        resource=room,
        activity=funded,
        start=at(day, 9),
        end=at(day, 10),
        acting_user=camille.user,
        notify=False,
    )
    feed = services.feed_of(member=camille)
    url = link_path(feed)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [at(day, 9)]
    with time_machine.travel(timezone.now() + dt.timedelta(days=3650)):
        assert Client().get(url).status_code == 200  # ten years on: still valid
    services.feed_revoke(feed=feed, acting_user=camille.user)
    assert Client().get(url).status_code == 404
    assert Client().get(link_path(feed)).status_code == 200


def test_a_resources_feed_lists_its_bookings(room, funded, camille):
    day = open_day()
    for hour in (9, 13):
        services.booking_create(
            resource=room,
            activity=funded,
            start=at(day, hour),
            end=at(day, hour + 1),
            acting_user=camille.user,
            notify=False,
        )
    response = Client().get(link_path(services.feed_of(resource=room)))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    assert len({str(e["uid"]) for e in events}) == 2


def test_an_overdue_loan_is_on_the_staff_to_do_list(camera, camille, sylvie):
    from maille.conftest import login

    services.loan_check_out(
        resource=camera,
        member=camille,
        due_at=timezone.now() + dt.timedelta(hours=1),
        condition="Bon",
        acting_user=sylvie,
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        todo = login(sylvie).get("/").context["todo"]
    assert todo.loans_overdue == 1 and not todo.nothing


def test_staff_revoke_a_resources_feed_from_the_resources_page(room, funded, camille, sylvie):
    services.booking_create(
        resource=room,
        activity=funded,
        start=at(open_day(), 9),
        end=at(open_day(), 10),
        acting_user=camille.user,
        notify=False,
    )
    old = link_path(services.feed_of(resource=room))
    assert Client().get(old).status_code == 200
    staff = login(sylvie)
    answer = staff.post(f"/coworking/staff/resources/{room.pk}/feed/revoke/")
    assert answer.status_code == 302 and answer["Location"] == "/coworking/staff/resources/"
    assert "ne fonctionne plus" in staff.get(answer["Location"]).content.decode()
    assert Client().get(old).status_code == 404
    new = link_path(services.feed_of(resource=room))
    response = Client().get(new)
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1
    page = staff.get("/coworking/staff/resources/").content.decode()
    assert old not in page and "/coworking/ical/" in page


def test_a_member_cannot_revoke_a_resources_feed(room, camille, sylvie):
    old = link_path(services.feed_of(resource=room))
    nonce = services.feed_of(resource=room).link_nonce
    answer = login(camille.user).post(f"/coworking/staff/resources/{room.pk}/feed/revoke/")
    assert answer.status_code == 404
    assert Client().get(old).status_code == 200  # still the same address
    with pytest.raises(PermissionError):
        services.feed_revoke(feed=services.feed_of(resource=room), acting_user=camille.user)
    # Still the same nonce (a link's signature carries a time: compare nonces, not paths).
    assert services.feed_of(resource=room).link_nonce == nonce
