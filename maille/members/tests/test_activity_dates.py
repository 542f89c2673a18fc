"""An activity's dates stay near today, whatever the entrance (ISSUE 8, finding 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from maille.members import services
from maille.members.exceptions import MembersError
from maille.members.models import Activity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_an_absurd_start_date_is_refused(camille, sylvie, start):
    with translation.override("en"), pytest.raises(MembersError, match="too far from today"):
        services.activity_create(
            name="Illustration", owners=[camille], acting_user=sylvie, start_date=start
        )
    assert not Activity.objects.filter(name="Illustration").exists()


def test_an_absurd_end_date_is_refused(camille_activity, sylvie):
    with pytest.raises(MembersError):
        services.activity_update(
            activity=camille_activity, acting_user=sylvie, end_date=dt.date(9999, 12, 31)
        )
    with pytest.raises(MembersError):
        services.activity_close(
            activity=camille_activity, acting_user=sylvie, end_date=dt.date(9999, 12, 31)
        )
    camille_activity.refresh_from_db()
    assert camille_activity.is_open and camille_activity.end_date is None


def test_the_api_answers_a_message_not_a_server_error(as_camille, camille):
    response = as_camille.post(
        "/api/v1/activities",
        {"name": "Photo", "start_date": "0001-01-01"},
        content_type="application/json",
    )
    assert response.status_code in (409, 422), response.content
    assert response.json()["detail"][0]["message"]


def test_a_date_near_today_is_fine(camille, sylvie):
    start = timezone.localdate() - dt.timedelta(days=400)
    activity = services.activity_create(
        name="Photo", owners=[camille], acting_user=sylvie, start_date=start
    )
    assert activity.start_date == start
