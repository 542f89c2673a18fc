import pytest

from maille.api.services import api_token_create
from maille.members.models import ActivityStatus

pytestmark = pytest.mark.django_db


def test_an_owner_closes_their_activity(as_camille, camille_activity):
    response = as_camille.post(
        f"/activities/{camille_activity.pk}/close/", {"end_date": "2026-06-30"}
    )
    assert response.status_code == 302
    camille_activity.refresh_from_db()
    assert camille_activity.status == ActivityStatus.CLOSED
    assert str(camille_activity.end_date) == "2026-06-30"


def test_a_member_cannot_close_another_members_activity(as_camille, jerome_activity):
    response = as_camille.post(
        f"/activities/{jerome_activity.pk}/close/", {"end_date": "2026-06-30"}
    )
    assert response.status_code == 404
    jerome_activity.refresh_from_db()
    assert jerome_activity.status == ActivityStatus.OPEN


def test_an_end_before_the_start_is_refused(as_camille, camille_activity):
    as_camille.post(f"/activities/{camille_activity.pk}/close/", {"end_date": "2025-01-01"})
    camille_activity.refresh_from_db()
    assert camille_activity.status == ActivityStatus.OPEN


def test_closing_through_the_api(camille, camille_activity, client):
    _row, token = api_token_create(user=camille.user, name="t")
    response = client.post(
        f"/api/v1/activities/{camille_activity.pk}/close",
        data={"end_date": "2026-06-30"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_the_api_names_the_end_date_when_it_is_before_the_start(camille, client):
    _row, token = api_token_create(user=camille.user, name="t")
    response = client.post(
        "/api/v1/activities",
        data={"name": "X", "start_date": "2026-03-01", "end_date": "2026-02-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert (
        response.json()["detail"]
        == [{"field": "end_date", "message": "La date de fin précède la date de début."}]
        or response.json()["detail"][0]["field"] == "end_date"
    )
