import pytest

pytestmark = pytest.mark.django_db


def test_staff_without_two_factor_are_sent_to_set_it_up_in_production(settings, as_sylvie):
    settings.MAILLE_REQUIRE_STAFF_MFA = True
    response = as_sylvie.get("/members/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # The set-up pages stay reachable (allauth first asks to re-enter the password).
    setup = as_sylvie.get("/accounts/2fa/totp/activate/")
    assert setup.status_code in (200, 302)
    assert setup.get("Location", "").startswith(("", "/accounts/reauthenticate/"))
    assert as_sylvie.get("/accounts/reauthenticate/").status_code == 200


def test_members_are_not_forced_to_use_two_factor(settings, as_camille):
    settings.MAILLE_REQUIRE_STAFF_MFA = True
    assert as_camille.get("/").status_code == 200


def test_the_demo_says_it_skips_two_factor(settings, as_sylvie):
    settings.MAILLE_REQUIRE_STAFF_MFA = False
    response = as_sylvie.get("/")
    assert response.status_code == 200
    assert "authentification à deux facteurs" in response.text
