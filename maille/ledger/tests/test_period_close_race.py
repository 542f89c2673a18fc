"""A month is closed once, whoever closes it at the same moment (32 requests)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from maille.ledger.models import Period, PeriodEvent
from maille.tests_support.races import RACERS, race, statuses

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_month_is_closed_once(sylvie):
    month = timezone.localdate().replace(day=1)
    client = Client()
    client.force_login(sylvie)
    cookies = client.cookies

    def send(_i):
        racer = Client()
        racer.cookies = cookies
        return racer.post(
            f"/api/v1/ledger/periods/{month.isoformat()}/close",
            {"reason": "Fin du mois"},
            content_type="application/json",
        )

    answers = race(send)
    assert statuses(answers) == {200: 1, 409: RACERS - 1}
    assert Period.objects.get(month=month).is_closed
    assert PeriodEvent.objects.count() == 1
