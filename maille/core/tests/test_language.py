"""French first: pages are in French unless the person chose English."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_french_by_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "fr"
    assert 'lang="fr-CA"' in response.text


def test_english_is_one_click_away(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert 'lang="en-CA"' in page.text


def test_a_members_preferred_language_is_used_after_login(camille, client):
    camille.user.language = "en"
    camille.user.save()
    client.force_login(camille.user)
    assert client.get("/")["Content-Language"] == "en"


def test_the_api_answers_in_the_callers_language(as_camille):
    fr = as_camille.get("/api/v1/activities/999999")
    en = as_camille.get("/api/v1/activities/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert fr.json()["detail"][0]["message"] == "Introuvable."
    assert en.json()["detail"][0]["message"] == "Not found."
