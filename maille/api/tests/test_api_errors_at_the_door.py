"""Findings 9 and 12 of issue 8: a write without a valid token answers 401,
not a CSRF 403; a body that does not parse answers the API's JSON 400."""

import logging

import pytest
from django.test import Client

from maille.api.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", [None, "Bearer mt_not-a-real-token", "Basic abc"])
def test_a_write_without_a_valid_token_answers_401(db, header):
    client = Client(enforce_csrf_checks=True)  # as a script or an attacker: CSRF is enforced
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post("/api/v1/clients", {}, content_type="application/json", **extra)
    assert response.status_code == 401
    assert response.json()["detail"][0]["field"] is None


def test_a_logged_in_browser_still_needs_the_csrf_token(camille):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(camille.user)
    response = browser.post("/api/v1/clients", {}, content_type="application/json")
    assert response.status_code == 403


MALFORMED = (
    b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--xyz'  # no end
    b'\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n'
)


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data; boundary=xyz", "multipart/form-data", "multipart/form-data; boundary="],
)
def test_a_malformed_multipart_body_gets_the_json_error(camille, client, caplog, content_type):
    _row, token = api_token_create(user=camille.user, name="t")
    with caplog.at_level(logging.WARNING):
        response = client.generic(
            "POST",
            "/api/v1/clients",
            MALFORMED,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"][0]["field"] is None
    assert not any(record.exc_info for record in caplog.records)


def test_a_well_formed_form_body_where_json_is_expected_is_a_json_400(camille, client):
    _row, token = api_token_create(user=camille.user, name="t")
    response = client.post(
        "/api/v1/clients", {"legal_name": "x"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )  # the test client sends multipart
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] is None


def test_a_malformed_multipart_page_post_is_a_plain_400(as_camille, caplog):
    with caplog.at_level(logging.WARNING):
        response = as_camille.generic(
            "POST", "/tokens/", MALFORMED, content_type="multipart/form-data; boundary="
        )
    assert response.status_code == 400
    assert not any(record.exc_info for record in caplog.records)
