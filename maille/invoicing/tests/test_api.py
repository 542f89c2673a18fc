"""The API for quotes, acceptance, invoices, credit notes and the tax preview."""

from __future__ import annotations

import hashlib

import pytest

from maille.api.services import api_token_create
from maille.contracts.models import Quote, QuoteStatus, TrustedMember
from maille.invoicing.models import Invoice

pytestmark = pytest.mark.django_db

LINES = [{"description": "Illustrations", "quantity": "10", "unit": "hour", "unit_price": "100.00"}]


@pytest.fixture
def api(client):
    def call(user, method, url, json=None):
        kwargs = {}
        if user is not None:
            _row, token = api_token_create(user=user, name="test")
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        fn = getattr(client, method)
        if json is not None:
            return fn(f"/api/v1{url}", json, content_type="application/json", **kwargs)
        return fn(f"/api/v1{url}", **kwargs)

    return call


def test_the_tax_preview_writes_nothing(api, camille, client_qc, client_on):
    response = api(
        camille.user, "post", "/tax-preview", {"client_id": client_qc.pk, "lines": LINES}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["total"], body["regime"]) == ("1149.75", "gst_qst")
    assert [t["amount"] for t in body["taxes"]] == ["50.00", "99.75"]
    ns = api(
        camille.user,
        "post",
        "/tax-preview",
        {"client_id": client_on.pk, "lines": LINES, "date": "2025-03-31"},
    )
    assert ns.json()["taxes"][0]["rate"] == "13"
    assert not Invoice.objects.exists() and not Quote.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"quantity": "-1"},
        {"quantity": "abc"},
        {"unit_price": "1e400"},
        {"unit_price": "NaN"},
        {"unit_price": "12.345"},
        {"unit": "parsec"},
        {"description": "x" * 301},
        {"description": "nul\x00"},
        {"quantity": 10**20},
    ],
)
def test_bad_input_gets_a_422_never_a_500(api, camille, camille_activity, client_qc, bad):
    lines = [{**LINES[0], **bad}]
    for url, payload in (
        ("/tax-preview", {"client_id": client_qc.pk, "lines": lines}),
        (
            "/invoices",
            {"activity_id": camille_activity.pk, "client_id": client_qc.pk, "lines": lines},
        ),
        (
            "/quotes",
            {
                "activity_id": camille_activity.pk,
                "client_id": client_qc.pk,
                "title": "T",
                "lines": lines,
            },
        ),
    ):
        response = api(camille.user, "post", url, payload)
        assert response.status_code == 422, (url, bad, response.content)
        assert response.json()["detail"][0]["message"]
    assert not Invoice.objects.exists() and not Quote.objects.exists()


def test_a_whole_story_through_the_api(
    api,
    client,
    camille,
    camille_activity,
    client_qc,
    sylvie,
    nathalie,
    django_capture_on_commit_callbacks,
):
    TrustedMember.objects.create(member=camille, client=client_qc)
    created = api(
        camille.user,
        "post",
        "/quotes",
        {
            "activity_id": camille_activity.pk,
            "client_id": client_qc.pk,
            "title": "Album",
            "lines": LINES,
        },
    )
    assert created.status_code == 201, created.content
    quote_id = created.json()["id"]
    assert api(camille.user, "post", f"/quotes/{quote_id}/submit").json()["status"] == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        sent = api(camille.user, "post", f"/quotes/{quote_id}/send")
    assert sent.status_code == 200, sent.content
    token = sent.json()["acceptance_url"].rstrip("/").rsplit("/", 1)[1]
    public = client.get(f"/api/v1/quotes/acceptance/{token}")
    assert public.status_code == 200
    sha = public.json()["document_sha256"]
    assert sha == hashlib.sha256(bytes(Quote.objects.get().document_pdf)).hexdigest()
    bad = client.post(
        f"/api/v1/quotes/acceptance/{token}x",
        {"decision": "accepted", "signer_name": "N", "signer_role": "R", "document_sha256": sha},
        content_type="application/json",
    )
    assert bad.status_code == 404
    accepted = client.post(
        f"/api/v1/quotes/acceptance/{token}",
        {
            "decision": "accepted",
            "signer_name": "Nathalie Roy",
            "signer_role": "Directrice",
            "document_sha256": sha,
        },
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    assert Quote.objects.get().status == QuoteStatus.ACCEPTED

    draft = api(
        camille.user,
        "post",
        "/invoices/from-quote",
        {"quote_id": quote_id, "mode": "deposit", "percent": "50"},
    )
    assert draft.status_code == 201, draft.content
    invoice_id = draft.json()["id"]
    assert api(camille.user, "post", f"/invoices/{invoice_id}/issue").status_code == 403
    issued = api(sylvie, "post", f"/invoices/{invoice_id}/issue")
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert (body["total"], body["has_accepted_quote"], body["balance_due"]) == (
        "574.88",
        True,
        "574.88",
    )
    again = api(sylvie, "post", f"/invoices/{invoice_id}/issue")
    assert again.status_code == 409
    edit = api(sylvie, "patch", f"/invoices/{invoice_id}", {"title": "changed"})
    assert edit.status_code == 409
    line_id = body["lines"][0]["id"]
    note = api(
        sylvie,
        "post",
        f"/invoices/{invoice_id}/credit-notes",
        {"reason": "Rabais", "lines": [{"line_id": line_id, "amount": "100.00"}]},
    )
    assert note.status_code == 201, note.content
    note_issued = api(sylvie, "post", f"/invoices/{note.json()['id']}/issue")
    assert note_issued.json()["total"] == "114.98"
    assert api(sylvie, "get", f"/invoices/{invoice_id}").json()["balance_due"] == "459.90"
    ubl = api(sylvie, "get", f"/invoices/{invoice_id}/ubl")
    assert ubl.status_code == 200 and b"<cbc:ID>F-" in ubl.content


def test_members_and_clients_only_reach_their_own(
    api, camille, jerome, jerome_activity, client_qc, sylvie, nathalie
):
    created = api(
        jerome.user,
        "post",
        "/invoices",
        {"activity_id": jerome_activity.pk, "client_id": client_qc.pk, "lines": LINES},
    )
    invoice_id = created.json()["id"]
    assert api(camille.user, "get", f"/invoices/{invoice_id}").status_code == 404
    assert api(camille.user, "get", "/invoices").json()["count"] == 0
    assert (
        api(
            camille.user,
            "post",
            "/invoices",
            {"activity_id": jerome_activity.pk, "client_id": client_qc.pk, "lines": LINES},
        ).status_code
        == 404
    )
    assert api(camille.user, "patch", f"/invoices/{invoice_id}", {"title": "x"}).status_code == 404
    assert api(nathalie, "get", "/invoices").status_code == 404
    assert api(nathalie, "get", f"/invoices/{invoice_id}").status_code == 404
    assert api(camille.user, "get", f"/invoices/{2**63}").status_code == 422
    assert api(None, "get", "/invoices").status_code == 401


def test_a_quote_with_milestones_and_bad_milestones(api, camille, camille_activity, client_qc):
    ok = api(
        camille.user,
        "post",
        "/quotes",
        {
            "activity_id": camille_activity.pk,
            "client_id": client_qc.pk,
            "title": "Album",
            "lines": LINES,
            "milestones": [
                {"label": "Esquisses", "percent": "30"},
                {"label": "Finales", "percent": "70"},
            ],
        },
    )
    assert ok.status_code == 201, ok.content
    assert Quote.objects.get().milestones.count() == 2
    too_much = api(
        camille.user,
        "post",
        "/quotes",
        {
            "activity_id": camille_activity.pk,
            "client_id": client_qc.pk,
            "title": "Album",
            "lines": LINES,
            "milestones": [{"label": "A", "percent": "80"}, {"label": "B", "percent": "80"}],
        },
    )
    assert too_much.status_code == 422
    assert Quote.objects.count() == 1


def test_absurd_dates_are_refused_cleanly(api, camille, camille_activity, client_qc, sylvie):
    far = api(
        camille.user,
        "post",
        "/quotes",
        {
            "activity_id": camille_activity.pk,
            "client_id": client_qc.pk,
            "title": "T",
            "lines": LINES,
            "quote_date": "9999-12-31",
        },
    )
    assert far.status_code == 422
    draft = api(
        camille.user,
        "post",
        "/invoices",
        {"activity_id": camille_activity.pk, "client_id": client_qc.pk, "lines": LINES},
    )
    old = api(sylvie, "post", f"/invoices/{draft.json()['id']}/issue?issue_date=0001-01-01")
    assert old.status_code == 422
    assert "No sales tax rate" in old.json()["detail"][0]["message"] or old.json()["detail"]
    preview = api(
        camille.user,
        "post",
        "/tax-preview",
        {"client_id": client_qc.pk, "lines": LINES, "date": "1900-01-01"},
    )
    assert preview.status_code == 422


def test_another_member_and_a_client_contact_get_404_for_a_quote(
    api, camille, jerome, nathalie, camille_activity, client_qc
):
    created = api(
        camille.user,
        "post",
        "/quotes",
        {
            "activity_id": camille_activity.pk,
            "client_id": client_qc.pk,
            "title": "Album",
            "lines": LINES,
        },
    )
    assert created.status_code == 201, created.content
    quote_id = created.json()["id"]
    assert api(camille.user, "get", f"/quotes/{quote_id}").status_code == 200
    for intruder in (jerome.user, nathalie):
        assert api(intruder, "get", f"/quotes/{quote_id}").status_code == 404
        changed = api(intruder, "patch", f"/quotes/{quote_id}", {"title": "pris"})
        assert changed.status_code == 404
    assert quote_id not in [q["id"] for q in api(jerome.user, "get", "/quotes").json()["items"]]


def test_an_internal_invoice_cannot_be_drafted_against_a_closed_activity(
    api, camille, camille_activity, jerome_activity
):
    from maille.members.models import ActivityStatus

    jerome_activity.status = ActivityStatus.CLOSED
    jerome_activity.save()
    response = api(
        camille.user,
        "post",
        "/invoices",
        {
            "activity_id": camille_activity.pk,
            "buyer_activity_id": jerome_activity.pk,
            "lines": LINES,
        },
    )
    assert response.status_code == 404
