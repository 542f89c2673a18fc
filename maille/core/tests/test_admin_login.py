"""Finding 2 of issue 8: ``/admin/login/`` obeys the lock-out and never tells
whether a password is right (it has no password form of its own any more)."""

import pytest
from axes.models import AccessAttempt

from maille.conftest import login
from maille.tests_support.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_right_password_does_not_get_through_a_lock_out(client, anne):
    for _ in range(30):
        client.post("/accounts/login/", {"login": anne.email, "password": "wrong"})
        client.post("/admin/login/", {"username": anne.email, "password": "wrong"})
    response = client.post("/admin/login/", {"username": anne.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302
    locked = client.post("/accounts/login/", {"login": anne.email, "password": PASSWORD})
    assert locked.status_code == 429


def test_a_members_right_password_looks_like_any_other_answer(client, camille):
    right = client.post("/admin/login/", {"username": camille.user.email, "password": PASSWORD})
    wrong = client.post("/admin/login/", {"username": camille.user.email, "password": "wrong"})
    assert (right.status_code, right["Location"]) == (wrong.status_code, wrong["Location"])
    assert right["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # not logged in


def test_failures_are_recorded_with_the_account(client, anne):
    client.post("/accounts/login/", {"login": anne.email, "password": "wrong"})
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [anne.email]


def test_the_admin_login_sends_people_to_the_one_login_and_back(client, as_sylvie, as_camille):
    response = client.get("/admin/login/?next=/admin/core/user/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fcore%2Fuser%2F"
    outside = client.get("/admin/login/?next=https://evil.example/")
    assert outside["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert as_sylvie.get("/admin/login/")["Location"] == "/admin/"
    assert as_camille.get("/admin/login/").status_code == 403


def test_an_admin_logs_in_through_the_one_login(client, anne):
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": anne.email, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert login(anne).get("/admin/").status_code == 200
