"""No double booking under 32 simultaneous requests for the same slot.

PostgreSQL: 32 members' activities race for one slot through the API, each
with its own connection; the exclusion constraint lets exactly one booking
through and the others are told the slot was just taken (409), never a 500.
A second race on one activity checks the budget lock queues them too.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from maille.api.services import api_token_create
from maille.coworking.models import Booking
from maille.coworking.tests.helpers import at, open_day
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.payroll.tests.helpers import fund
from maille.tests_support import factories
from maille.tests_support.races import RACERS, race, statuses

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("simultaneous transactions need PostgreSQL (SQLite: test_api's guard test)")


def _payload(room, activity, day):
    return {
        "resource_id": room.pk,
        "activity_id": activity.pk,
        "start": at(day, 9).isoformat(),
        "end": at(day, 11).isoformat(),
    }


def test_32_members_race_for_one_slot(room):
    day = open_day()
    senders = []
    for i in range(RACERS):
        member = factories.MemberFactory()
        activity = factories.ActivityFactory(name=f"A{i}", owners=[member])
        fund(activity, "100.00")
        _row, token = api_token_create(user=member.user, name="race")
        senders.append((token, _payload(room, activity, day)))

    def send(i):
        token, payload = senders[i]
        return Client().post(
            "/api/v1/coworking/bookings",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    answers = race(send)
    assert statuses(answers) == {201: 1, 409: RACERS - 1}
    assert all(a.json()["detail"][0]["message"] for a in answers if a.status_code == 409)
    assert Booking.objects.count() == 1
    charged = JournalLine.objects.filter(account__code=accounts.SPACE_EXPENSE)
    assert charged.count() == 1  # only the winner was charged


def test_one_activity_32_requests(room, camille, camille_activity):
    fund(camille_activity, "5000.00")
    _row, token = api_token_create(user=camille.user, name="race")
    payload = _payload(room, camille_activity, open_day())
    answers = race(
        lambda _i: Client().post(
            "/api/v1/coworking/bookings",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    )
    assert statuses(answers) == {201: 1, 409: RACERS - 1}
    assert Booking.objects.count() == 1
