"""Finding 3 of issue 8: failed passwords are counted per (account, address)
and per account, not per address alone; the email's case does not matter."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache

from maille.tests_support.factories import PASSWORD

pytestmark = pytest.mark.django_db


def fail(client, email, address="192.0.2.10"):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong"}, REMOTE_ADDR=address
    )


def log_in(client, email, address="192.0.2.10"):
    return client.post(
        "/accounts/login/", {"login": email, "password": PASSWORD}, REMOTE_ADDR=address
    )


def logged_in(client):
    return client.get("/").status_code == 200


def test_one_persons_failures_do_not_lock_out_their_office(client, camille, jerome):
    answers = [fail(client, camille.user.email).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    assert log_in(client, camille.user.email).status_code in (200, 429)
    assert not logged_in(client)
    # Jérôme works from the same coworking space and never failed.
    response = log_in(client, jerome.user.email)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_case_of_the_email_does_not_give_more_tries(client, camille):
    for variant in ["Camille@maille.test", "CAMILLE@MAILLE.TEST", "camille@Maille.Test"] * 2:
        fail(client, variant)
    cache.clear()  # past allauth's own short rate limit: axes' lock-out holds
    assert log_in(client, camille.user.email).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"camille@maille.test"}


def test_guessing_one_account_from_many_addresses_locks_the_account(settings, client, camille):
    settings.MAILLE_LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    for n in range(20):
        # allauth's own rate limit (5 tries per 5 minutes per email) lives in
        # the cache: clearing it stands for the minutes an attacker waits.
        cache.clear()
        answer = fail(client, camille.user.email, address=f"198.51.100.{n + 1}")
        assert answer.status_code == 200 or n == 19  # 1 failure per address
    cache.clear()
    # The 21st address, never seen, is refused even the right password.
    assert log_in(client, camille.user.email, address="203.0.113.5").status_code == 429


def test_a_few_failures_from_several_addresses_do_not_lock_the_account(settings, client, camille):
    settings.MAILLE_LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    for n in range(4):
        fail(client, camille.user.email, address=f"198.51.100.{n + 1}")
    assert log_in(client, camille.user.email, address="203.0.113.5").status_code == 302
