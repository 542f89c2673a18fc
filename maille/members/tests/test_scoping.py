"""A member reaches only their own file and activities, in pages and API alike."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_member_sees_their_own_profile(as_camille, camille):
    response = as_camille.get(f"/members/{camille.pk}/")
    assert response.status_code == 200
    assert "Camille" in response.text
    assert "130692544" not in response.text  # SIN shown masked only
    assert "544" in response.text


def test_a_member_cannot_see_another_members_profile(as_camille, jerome):
    assert as_camille.get(f"/members/{jerome.pk}/").status_code == 404
    assert as_camille.get(f"/members/{jerome.pk}/edit/").status_code == 404


def test_a_member_cannot_see_another_members_activity(as_camille, jerome_activity):
    assert as_camille.get(f"/activities/{jerome_activity.pk}/").status_code == 404
    assert as_camille.get(f"/activities/{jerome_activity.pk}/edit/").status_code == 404


def test_the_activity_list_shows_only_ones_own(as_camille, camille_activity, jerome_activity):
    response = as_camille.get("/activities/")
    assert camille_activity.code in response.text
    assert jerome_activity.code not in response.text


def test_staff_see_every_member_and_activity(as_sylvie, camille, jerome_activity):
    assert as_sylvie.get(f"/members/{camille.pk}/").status_code == 200
    assert as_sylvie.get(f"/activities/{jerome_activity.pk}/").status_code == 200
    assert as_sylvie.get("/members/").status_code == 200


def test_members_cannot_reach_staff_pages(as_camille):
    assert as_camille.get("/members/").status_code == 404
    assert as_camille.get("/members/new/").status_code == 404


def test_a_client_contact_sees_no_member_or_activity(as_nathalie, camille, camille_activity):
    assert as_nathalie.get(f"/members/{camille.pk}/").status_code == 404
    assert as_nathalie.get(f"/activities/{camille_activity.pk}/").status_code == 404
    assert as_nathalie.get("/activities/").status_code == 404
    assert as_nathalie.get("/clients/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, camille):
    response = client.get(f"/members/{camille.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
