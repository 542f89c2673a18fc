import pytest

from maille.core.models import User
from maille.tests_support.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_member_logs_in_with_email_and_password(client, camille):
    response = client.post(
        "/accounts/login/", {"login": "camille@maille.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused(client, camille):
    response = client.post("/accounts/login/", {"login": "camille@maille.test", "password": "no"})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_out(client, camille):
    answers = [
        client.post("/accounts/login/", {"login": "camille@maille.test", "password": "wrong"})
        for _ in range(6)
    ]
    # Locked out after AXES_FAILURE_LIMIT (5) failures.
    assert 429 in [r.status_code for r in answers]
    client.post("/accounts/login/", {"login": "camille@maille.test", "password": PASSWORD})
    # Even the right password is refused while the lock-out lasts.
    assert client.get("/").status_code == 302


def test_nobody_can_sign_up_alone(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "intrus@maille.test",
            "password1": "A-long-pass-123",
            "password2": "A-long-pass-123",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="intrus@maille.test").exists()


def test_behind_a_proxy_each_client_keeps_its_own_address(settings, rf):
    from maille.core.auth import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
    settings.MAILLE_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.MAILLE_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.7"
    settings.MAILLE_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.1"
