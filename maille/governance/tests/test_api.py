"""The voting API as the issue fixes it, and who sees what (denied paths)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from maille.governance import services
from maille.governance.tests.helpers import admitted, open_resolution, with_shares

pytestmark = pytest.mark.django_db

JSON = "application/json"

API = "/api/v1/governance"


def test_the_stable_voting_interface(camille, sylvie, as_camille, as_sylvie):
    with_shares(camille, sylvie)
    ballot = open_resolution(sylvie)
    listed = as_camille.get(f"{API}/ballots").json()
    options = [{"id": o.pk, "label": o.label} for o in ballot.options.all()]
    assert listed == [
        {"id": ballot.pk, "question": ballot.question, "options": options, "max_choices": 1}
    ]
    early = as_camille.get(f"{API}/ballots/{ballot.pk}/results")
    assert early.status_code == 409 and "une fois le vote dépouillé" in str(early.json())
    voted = as_camille.post(
        f"{API}/ballots/{ballot.pk}/vote",
        {"choices": [options[0]["id"]]},
        content_type="application/json",
    )
    assert voted.status_code == 201
    receipt = voted.json()["receipt"]
    again = as_camille.post(
        f"{API}/ballots/{ballot.pk}/vote",
        {"choices": [options[1]["id"]]},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert as_camille.get(f"{API}/ballots").json() == []  # voted: no longer open to her
    with time_machine.travel(ballot.closes_at + dt.timedelta(minutes=1)):
        services.ballot_count(ballot=ballot, acting_user=sylvie)
        results = as_camille.get(f"{API}/ballots/{ballot.pk}/results").json()
    assert (
        results["voters"] == 1
        and results["eligible"] == 1
        and results["turnout_percent"] == "100.0"
    )
    assert results["adopted"] is True and results["options"][0]["votes"] == 1
    check = as_camille.post(
        f"{API}/ballots/{ballot.pk}/receipt", {"code": receipt}, content_type="application/json"
    )
    assert check.json() == {"counted": True}


def test_too_many_choices_and_unknown_options_answer_422(camille, sylvie, as_camille):
    with_shares(camille, sylvie)
    ballot = open_resolution(sylvie)
    ids = list(ballot.options.values_list("pk", flat=True))
    r = as_camille.post(
        f"{API}/ballots/{ballot.pk}/vote", {"choices": ids[:2]}, content_type="application/json"
    )
    assert r.status_code == 422 and "au plus 1" in str(r.json())


def test_a_member_sees_only_their_own_shares_and_entry(
    camille, jerome, sylvie, as_camille, as_jerome, as_sylvie
):
    with_shares(camille, sylvie, paid=Decimal("80.00"))
    with_shares(jerome, sylvie)
    mine = as_camille.get(f"{API}/register/me").json()
    assert mine["number"] == camille.number and mine["owing"] == "120.00"
    assert as_camille.get(f"{API}/register").status_code == 404
    assert as_jerome.get(f"{API}/register/me").json()["number"] == jerome.number
    # Jérôme cannot subscribe for Camille, nor see her movements.
    r = as_jerome.post(
        f"{API}/shares/subscriptions",
        {"member_id": camille.pk, "shares": 5},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert {m["amount"] for m in as_jerome.get(f"{API}/shares/me").json()} == {"200.00"}
    assert len(as_sylvie.get(f"{API}/register").json()) == 2
    assert as_camille.get("/gouvernance/registre/").status_code == 404
    assert as_camille.get("/gouvernance/registre.csv").status_code == 404
    page = as_camille.get("/gouvernance/mes-parts/")
    assert page.status_code == 200 and camille.number in page.content.decode()
    assert jerome.number not in page.content.decode()


def test_a_member_never_sees_another_members_ballot(camille, jerome, sylvie):
    """A ballot Jérôme is not entitled to (its meeting not called yet) answers
    404 on results, receipt and page; on the ballot he may see, nothing tells
    him what Camille chose, even on an open vote."""
    from django.test import Client

    from maille.governance.models import BallotKind

    with_shares(camille, sylvie)
    with_shares(jerome, sylvie)
    client = Client()
    client.force_login(jerome.user)
    now = timezone.now()
    draft = services.meeting_create(
        kind="special",
        starts_at=now + dt.timedelta(days=40),
        agenda="1. Règlement",
        place="Salle commune",
        acting_user=sylvie,
    )
    hidden = services.ballot_create(
        question="Modifier le règlement?",
        kind=BallotKind.RESOLUTION,
        record_date=timezone.localdate() - dt.timedelta(days=1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=2),
        meeting=draft,
        secret=False,
        acting_user=sylvie,
    )
    for response in (
        client.get(f"{API}/ballots/{hidden.pk}/results"),
        client.post(f"{API}/ballots/{hidden.pk}/receipt", {"code": "X"}, content_type=JSON),
        client.get(f"/gouvernance/scrutins/{hidden.pk}/"),
    ):
        assert response.status_code == 404
    assert hidden.pk not in {b["id"] for b in client.get(f"{API}/ballots").json()}

    ballot = open_resolution(sylvie, secret=False)
    no = ballot.options.get(position=1)
    services.vote_cast(ballot=ballot, choices=[no.pk], acting_user=camille.user)
    services.ballot_count(ballot=ballot, acting_user=sylvie, now=now + dt.timedelta(hours=3))
    seen = [
        str(client.get(f"{API}/ballots").json()),
        str(client.get(f"{API}/ballots/{ballot.pk}/results").json()),
        client.get(f"/gouvernance/scrutins/{ballot.pk}/").content.decode().split("<main")[-1],
    ]
    for text in seen:
        for leak in (camille.number, camille.full_name, camille.user.email, "member_id"):
            assert leak not in text


def test_the_register_export_is_dated_and_complete(camille, jerome, sylvie, as_sylvie):
    with_shares(camille, sylvie, paid=Decimal("50.00"))
    with_shares(jerome, sylvie)
    csv = as_sylvie.get("/gouvernance/registre.csv?as_of=2026-01-31").content.decode()
    lines = csv.strip().splitlines()
    assert "2026-01-31" in lines[0]
    assert lines[1].startswith("number,name,address,category,admitted_on")
    assert len(lines) == 4
    assert any(camille.number in row and "150.00" in row for row in lines)
    pdf = as_sylvie.get("/gouvernance/registre.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_subscription_dated_before_any_bylaws_is_refused_with_a_message(camille, as_camille):
    """Found by bin/fuzz-api: a date before the first by-law settings gave a 500."""
    admitted(camille)
    r = as_camille.post(
        f"{API}/shares/subscriptions",
        {"member_id": camille.pk, "shares": 20, "date": "1970-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert "1970-01-01" in str(r.json())


def test_a_member_cannot_backdate_their_subscription_staff_can_within_membership(
    camille, sylvie, as_camille, as_sylvie
):
    """A member's own subscription is dated today; staff may record an earlier
    date, not before the admission and not in the future."""
    from django.utils import timezone

    from maille.governance.models import ShareMovement

    admitted(camille)
    today = timezone.localdate()

    def subscribe(client, date):
        body = {"member_id": camille.pk, "shares": 20}
        if date is not None:
            body["date"] = date.isoformat()
        return client.post(f"{API}/shares/subscriptions", body, content_type="application/json")

    backdated = subscribe(as_camille, dt.date(2025, 6, 1))
    assert backdated.status_code == 422 and today.isoformat() in str(backdated.json())
    assert subscribe(as_sylvie, today + dt.timedelta(days=1)).status_code == 422
    assert subscribe(as_sylvie, dt.date(2025, 1, 1)).status_code == 422  # before admission
    assert not ShareMovement.objects.exists()
    assert subscribe(as_sylvie, dt.date(2025, 6, 1)).json()["date"] == "2025-06-01"
    mine = subscribe(as_camille, None)
    assert mine.status_code == 201 and mine.json()["date"] == today.isoformat()
