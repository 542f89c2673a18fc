"""The REST API: personal tokens, the same scoping as the pages, errors that name the field."""

import pytest
from django.test import Client

from maille.api.services import api_token_create, api_token_revoke
from maille.clients.models import Client as ClientRecord

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _row, token = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_openapi_document_is_version_3_1(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/clients" in doc["paths"]


def test_a_token_acts_as_its_owner(camille, client):
    response = client.get("/api/v1/me", **bearer(camille.user))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "camille@maille.test"
    assert body["member"]["sin_masked"] == "••• ••• 544"
    assert "130692544" not in response.text


def test_no_token_or_a_revoked_token_is_refused(camille, client):
    assert client.get("/api/v1/me").status_code == 401
    row, token = api_token_create(user=camille.user, name="old")
    api_token_revoke(token=row, acting_user=camille.user)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["detail"][0]["field"] is None


def test_only_a_digest_of_the_token_is_stored(camille):
    row, token = api_token_create(user=camille.user, name="x")
    assert token not in row.digest
    assert row.hint == token[-6:]


def test_a_member_gets_404_for_another_members_activity_and_profile(
    camille, jerome, jerome_activity, client
):
    headers = bearer(camille.user)
    assert client.get(f"/api/v1/activities/{jerome_activity.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/members/{jerome.pk}", **headers).status_code == 404
    listed = client.get("/api/v1/activities", **headers).json()["items"]
    assert jerome_activity.code not in [a["code"] for a in listed]
    members = client.get("/api/v1/members", **headers).json()["items"]
    assert [m["id"] for m in members] == [camille.pk]


def test_a_member_cannot_patch_another_members_activity(camille, jerome_activity, client):
    response = client.patch(
        f"/api/v1/activities/{jerome_activity.pk}",
        data={"name": "pris"},
        content_type="application/json",
        **bearer(camille.user),
    )
    assert response.status_code == 404
    jerome_activity.refresh_from_db()
    assert jerome_activity.name != "pris"


def test_a_client_contact_gets_nothing_from_the_directory(nathalie, client_qc, client):
    headers = bearer(nathalie)
    assert client.get("/api/v1/clients", **headers).status_code == 404
    assert client.get(f"/api/v1/clients/{client_qc.pk}", **headers).status_code == 404


def test_a_bad_client_gets_errors_naming_each_field_in_french(camille, client):
    response = client.post(
        "/api/v1/clients",
        data={
            "legal_name": "X",
            "province": "",
            "qst_number": "bad",
            "gst_number": "123456789RT0001",
        },
        content_type="application/json",
        **bearer(camille.user),
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert set(fields) == {"province", "qst_number", "gst_number"}
    assert "TVQ" in fields["qst_number"]
    assert not ClientRecord.objects.exists()


def test_errors_follow_the_accept_language_header(camille, client):
    response = client.post(
        "/api/v1/clients",
        data={"legal_name": "X", "province": "", "qst_number": "bad"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(camille.user),
    )
    fields = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert "QST" in fields["qst_number"]


def test_a_schema_error_names_the_field(camille, client):
    response = client.post(
        "/api/v1/clients",
        data={"kind": "martian"},
        content_type="application/json",
        **bearer(camille.user),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert {"legal_name", "kind"} <= fields


def test_a_likely_duplicate_answers_409_until_confirmed(camille, client_qc, client):
    payload = {
        "legal_name": client_qc.legal_name,
        "province": "QC",
        "postal_code": client_qc.postal_code,
    }
    headers = bearer(camille.user)
    first = client.post("/api/v1/clients", data=payload, content_type="application/json", **headers)
    assert first.status_code == 409
    assert first.json()["duplicates"] == [client_qc.pk]
    second = client.post(
        "/api/v1/clients",
        data={**payload, "allow_duplicate": True},
        content_type="application/json",
        **headers,
    )
    assert second.status_code == 201


def test_a_member_opens_an_activity_through_the_api(camille, client):
    response = client.post(
        "/api/v1/activities",
        data={"name": "Balados", "start_date": "2026-03-01"},
        content_type="application/json",
        **bearer(camille.user),
    )
    assert response.status_code == 201
    assert response.json()["owners"][0]["id"] == camille.pk


def test_staff_notes_are_only_in_staffs_answers(camille, sylvie, client_qc, client):
    client_qc.notes = "confidentiel"
    client_qc.save()
    as_member = client.get(f"/api/v1/clients/{client_qc.pk}", **bearer(camille.user)).json()
    as_staff = client.get(f"/api/v1/clients/{client_qc.pk}", **bearer(sylvie)).json()
    assert as_member["notes"] is None
    assert as_staff["notes"] == "confidentiel"


def test_list_queries_do_not_grow_with_the_data(sylvie, django_assert_max_num_queries):
    from maille.tests_support.factories import ActivityFactory, MemberFactory

    for _ in range(15):
        m = MemberFactory()
        ActivityFactory(owners=[m])
    c = Client()
    headers = bearer(sylvie)
    with django_assert_max_num_queries(8):
        assert c.get("/api/v1/activities?limit=100", **headers).status_code == 200
    with django_assert_max_num_queries(8):
        assert c.get("/api/v1/members?limit=100", **headers).status_code == 200


def test_schema_names_are_unique_across_apps():
    """Two schemas with one name would share one OpenAPI component, and the API
    would then document one app's answer with the other's shape."""
    import importlib
    import importlib.util
    from collections import Counter

    from django.conf import settings
    from ninja import Schema

    for app in settings.INSTALLED_APPS:
        if app.startswith("maille.") and importlib.util.find_spec(f"{app}.api"):
            importlib.import_module(f"{app}.api")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = Counter(
        cls.__name__ for cls in subclasses(Schema) if cls.__module__.startswith("maille.")
    )
    assert [name for name, n in names.items() if n > 1] == []
