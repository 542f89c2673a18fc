"""Issue 10: the demo's 404 and 500 pages are the app's own, in the visitor's
language (the demo need not run with DEBUG on)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


def test_a_missing_page_is_ours_in_french(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert 'lang="fr-CA"' in page


def test_a_missing_page_is_ours_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get("/nowhere/").content.decode()
    assert "Page not found" in page


def test_another_members_quote_is_our_404(as_jerome, camille, camille_activity, client_qc):
    from maille.contracts.tests.helpers import draft_quote

    quote = draft_quote(camille, camille_activity, client_qc)
    response = as_jerome.get(f"/quotes/{quote.pk}/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Un problème est survenu"), ("en", "Something went wrong")]
)
def test_a_server_error_is_ours_in_the_visitors_language(language, text):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = server_error(request)
    assert response.status_code == 500
    assert text in response.content.decode()
