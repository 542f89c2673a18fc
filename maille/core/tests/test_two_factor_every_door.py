"""Finding 1 of issue 8: the second factor is asked at every door, and what is
checked is that *this session* passed it, not that the account has one."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from maille.conftest import login
from maille.tests_support.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["/members/", "/ledger/", "/api/v1/members", "/admin/", "/admin/core/user/"]


@pytest.fixture
def anne_totp(settings, anne):
    settings.MAILLE_REQUIRE_STAFF_MFA = True
    secret = generate_totp_secret()
    TOTP.activate(anne, secret)
    return secret


def current_code(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time()))))


def test_the_admins_login_form_no_longer_takes_a_password_alone(client, anne, anne_totp):
    response = client.post("/admin/login/", {"username": anne.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    for url in PAGES:
        assert client.get(url).status_code in (302, 401), url
    assert client.get("/admin/").headers["Location"].startswith("/admin/login/")


def test_a_session_that_did_not_pass_the_second_factor_is_logged_out(anne, anne_totp):
    # However the session was opened (here: without allauth's login at all),
    # an account with a second factor must have given it in this session.
    for url in PAGES:
        session = login(anne)
        response = session.get(url)
        assert response.status_code in (302, 401), url
        if url.startswith("/api/"):
            assert response.status_code == 401
            assert response.json()["detail"][0]["field"] is None
        else:
            assert response["Location"].startswith("/accounts/login/")
        assert session.get("/").status_code == 302  # logged out


def test_the_settings_of_the_second_factor_are_closed_to_a_password_alone(anne, anne_totp):
    session = login(anne)
    response = session.get("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_login_with_password_and_code_opens_every_door(client, anne, anne_totp):
    first = client.post("/accounts/login/", {"login": anne.email, "password": PASSWORD})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    # The password alone opens nothing.
    assert client.get("/members/").status_code == 302
    client.post("/accounts/2fa/authenticate/", {"code": current_code(anne_totp)})
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_who_set_up_the_second_factor_keep_their_session(settings, client, sylvie):
    # A transactional test: allauth announces the new factor after commit.
    settings.MAILLE_REQUIRE_STAFF_MFA = True
    client.post("/accounts/login/", {"login": sylvie.email, "password": PASSWORD})
    assert client.get("/members/")["Location"] == "/accounts/2fa/totp/activate/"
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/members/").status_code == 200


def test_a_staff_token_needs_the_second_factor_where_production_requires_it(
    settings, client, sylvie
):
    from maille.api.services import api_token_create

    _row, token = api_token_create(user=sylvie, name="t")
    settings.MAILLE_REQUIRE_STAFF_MFA = False
    assert client.get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    settings.MAILLE_REQUIRE_STAFF_MFA = True
    assert client.get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    TOTP.activate(sylvie, generate_totp_secret())
    assert client.get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
