"""The API's governance doors beyond voting: the public application, a
meeting's documents, the board's lists of ballots and ristournes, one
member's share statement — each scoped, each denied to whom it is not for."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from maille.governance import services
from maille.governance.models import Application, ApplicationStatus
from maille.governance.tests.helpers import board, held_meeting, open_resolution, with_shares
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"

NOÉMIE = {
    "first_name": "Noémie",
    "last_name": "Lavoie",
    "email": "noemie@exemple.test",
    "street": "88, rue Cartier",
    "city": "Québec",
    "province": "QC",
    "postal_code": "G1R 2R9",
    "language": "fr",
    "category": "worker",
    "activity_planned": "Traduction littéraire",
    "heard_from": "Une membre",
    "consent": True,
}


def _post(client: Client, url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def _fields(response) -> set[str | None]:  # type: ignore[no-untyped-def]
    return {e["field"] for e in response.json()["detail"]}


# --- The public application ------------------------------------------------------


def test_anyone_applies_through_the_api_with_their_dated_consent():
    answer = _post(Client(REMOTE_ADDR="203.0.113.7"), f"{API}/applications", NOÉMIE)
    assert answer.status_code == 201 and answer.json() == {"status": "submitted"}
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.consent_at is not None and application.email == "noemie@exemple.test"
    assert application.activity_planned == "Traduction littéraire"


def test_the_api_refuses_what_the_form_refuses_naming_each_field():
    anonymous = Client(REMOTE_ADDR="203.0.113.7")
    # The form's rules: a valid email, a province of the list, the fields required.
    bad = _post(
        anonymous,
        f"{API}/applications",
        NOÉMIE | {"email": "pas-une-adresse", "province": "XX", "city": ""},
    )
    assert bad.status_code == 422
    assert {"email", "province", "city"} <= _fields(bad)
    # No consent, no application (Law 25): the service's refusal, in French.
    refused = _post(anonymous, f"{API}/applications", NOÉMIE | {"consent": False})
    assert refused.status_code == 422 and "consentement" in str(refused.json())
    missing = {k: v for k, v in NOÉMIE.items() if k != "consent"}
    assert _post(anonymous, f"{API}/applications", missing).status_code == 422
    assert not Application.objects.exists()


def test_a_member_cannot_apply_again(camille):
    answer = _post(Client(), f"{API}/applications", NOÉMIE | {"email": camille.user.email})
    assert answer.status_code == 422 and not Application.objects.exists()


def test_the_page_and_the_api_share_one_limit_per_address(settings):
    settings.MAILLE_GOVERNANCE_APPLICATION_POSTS_PER_HOUR = 2
    here = Client(REMOTE_ADDR="203.0.113.7")
    assert _post(here, f"{API}/applications", NOÉMIE).status_code == 201
    page = here.post("/adhesion/", NOÉMIE | {"email": "minh@exemple.test", "consent": "on"})
    assert page.status_code == 200 and Application.objects.count() == 2
    # The third attempt from that address, by either door, is refused.
    api = _post(here, f"{API}/applications", NOÉMIE | {"email": "lea@exemple.test"})
    assert api.status_code == 429 and "Trop de demandes" in str(api.json())
    page = here.post("/adhesion/", NOÉMIE | {"email": "lea@exemple.test", "consent": "on"})
    assert page.status_code == 429 and "Trop de demandes" in page.content.decode()
    assert Application.objects.count() == 2
    # Another address is not held back.
    there = Client(REMOTE_ADDR="198.51.100.4")
    assert (
        _post(there, f"{API}/applications", NOÉMIE | {"email": "lea@exemple.test"}).status_code
        == 201
    )


# --- A meeting's documents ---------------------------------------------------------


def _meetings(sylvie):  # type: ignore[no-untyped-def]
    director = board(with_shares(factories.MemberFactory(), sylvie))[0]
    called = held_meeting(sylvie, director)
    draft = services.meeting_create(
        kind="special",
        starts_at=timezone.now() + dt.timedelta(days=40),
        agenda="1. Règlement",
        place="Salle commune",
        documents=[("resolution", "Projet de règlement", "Il est résolu…")],
        acting_user=sylvie,
    )
    called.documents.create(kind="statements", title="États financiers", body="Excédent : 18 450 $")
    return called, draft


def test_a_member_reads_and_downloads_the_documents_of_a_meeting_called(
    camille, sylvie, as_camille
):
    with_shares(camille, sylvie)
    called, _draft = _meetings(sylvie)
    document = called.documents.get()
    listed = as_camille.get(f"{API}/meetings/{called.pk}/documents")
    assert listed.json() == [{"id": document.pk, "kind": "statements", "title": "États financiers"}]
    file = as_camille.get(f"{API}/meetings/{called.pk}/documents/{document.pk}")
    assert file.status_code == 200 and file["Content-Type"].startswith("text/plain")
    assert "attachment" in file["Content-Disposition"]
    assert file.content.decode() == "États financiers\n\nExcédent : 18 450 $\n"


def test_no_one_but_the_board_reads_a_drafts_documents_nor_a_document_through_another_meeting(
    camille, sylvie, as_camille, as_sylvie, as_nathalie
):
    with_shares(camille, sylvie)
    called, draft = _meetings(sylvie)
    secret = draft.documents.get()
    assert as_camille.get(f"{API}/meetings/{draft.pk}/documents").status_code == 404
    assert as_camille.get(f"{API}/meetings/{draft.pk}/documents/{secret.pk}").status_code == 404
    # The draft's document asked through the called meeting's path: not found.
    assert as_camille.get(f"{API}/meetings/{called.pk}/documents/{secret.pk}").status_code == 404
    assert as_sylvie.get(f"{API}/meetings/{called.pk}/documents/{secret.pk}").status_code == 404
    assert as_sylvie.get(f"{API}/meetings/{draft.pk}/documents/{secret.pk}").status_code == 200
    # A client's contact is no member: nothing at all.
    assert as_nathalie.get(f"{API}/meetings/{called.pk}/documents").status_code == 404


# --- The board's lists; one member's statement ---------------------------------------


def test_the_board_lists_every_ballot_a_member_only_their_open_votes(
    camille, sylvie, as_camille, as_sylvie
):
    with_shares(camille, sylvie)
    opened = open_resolution(sylvie)
    now = timezone.now()
    closed = services.ballot_create(
        question="Adopter la politique?",
        kind="resolution",
        record_date=timezone.localdate() - dt.timedelta(days=2),
        opens_at=now - dt.timedelta(hours=3),
        closes_at=now - dt.timedelta(hours=2),
        acting_user=sylvie,
    )
    every = as_sylvie.get(f"{API}/ballots/all").json()
    assert [b["id"] for b in every] == [opened.pk, closed.pk]  # latest first
    assert every[0]["options"] and every[1]["counted_at"] is None
    assert as_camille.get(f"{API}/ballots/all").status_code == 404
    assert [b["id"] for b in as_camille.get(f"{API}/ballots").json()] == [opened.pk]


def test_the_board_lists_the_ristourne_computations_with_their_fiscal_year(
    camille, sylvie, as_camille, as_sylvie
):
    allocation = services.ristourne_simulate(
        fiscal_year=2025,
        surplus=Decimal("500.00"),
        reserve=Decimal("500.00"),
        ristournes=Decimal("0.00"),
        basis="salary",
        form="cash",
        acting_user=sylvie,
    )
    [row] = as_sylvie.get(f"{API}/ristournes").json()
    assert row["id"] == allocation.pk and row["status"] == "simulated"
    assert (row["period_start"], row["period_end"]) == ("2025-01-01", "2025-12-31")
    assert row["surplus"] == "500.00"
    assert as_camille.get(f"{API}/ristournes").status_code == 404


def test_staff_read_one_members_share_statement_the_member_reads_their_own_elsewhere(
    camille, jerome, sylvie, as_camille, as_jerome, as_sylvie
):
    with_shares(camille, sylvie, paid=Decimal("50.00"))
    statement = as_sylvie.get(f"{API}/members/{camille.pk}/shares").json()
    assert statement["entry"]["number"] == camille.number
    assert (statement["entry"]["paid"], statement["entry"]["owing"]) == ("50.00", "150.00")
    assert [(m["kind"], m["shares"], m["amount"]) for m in statement["movements"]] == [
        ("subscription", 20, "200.00"),
        ("payment", 0, "50.00"),
    ]
    # Not a staff endpoint for members, not even on themselves; Jérôme is not
    # in the register (404 for staff too).
    assert as_camille.get(f"{API}/members/{camille.pk}/shares").status_code == 404
    assert as_jerome.get(f"{API}/members/{camille.pk}/shares").status_code == 404
    assert as_sylvie.get(f"{API}/members/{jerome.pk}/shares").status_code == 404
    assert as_camille.get(f"{API}/register/me").json()["owing"] == "150.00"
