"""Staff and the board open a resolution or an election, close and count it,
publish the results with turnout, and seat the elected as directors (dated)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from maille.governance import services
from maille.governance.models import Ballot
from maille.governance.tests.helpers import board, with_shares
from maille.members.models import Directorship
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"
JSON = "application/json"
OPENS = dt.datetime(2026, 5, 20, 18, tzinfo=dt.UTC)


def test_an_election_opened_counted_and_seated_through_the_api(
    sylvie, camille, jerome, as_sylvie, as_camille
):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    third = with_shares(factories.MemberFactory(), sylvie)
    body = {
        "question": "Élection au conseil (2 sièges)",
        "kind": "election",
        "record_date": "2026-05-19",
        "opens_at": OPENS.isoformat(),
        "closes_at": (OPENS + dt.timedelta(hours=1)).isoformat(),
        "seats": 2,
        "secret": True,
        "candidate_ids": [camille.pk, jerome.pk, third.pk],
    }
    assert as_camille.post(f"{API}/ballots", body, content_type=JSON).status_code == 404
    created = as_sylvie.post(f"{API}/ballots", body, content_type=JSON)
    assert created.status_code == 201, created.content
    ballot = created.json()
    assert [o["label"] for o in ballot["options"]] == [
        m.full_name for m in sorted([camille, jerome, third], key=lambda m: m.number)
    ]
    by_member = {o["label"]: o["id"] for o in ballot["options"]}
    with time_machine.travel(OPENS + dt.timedelta(minutes=5), tick=False):
        listed = as_camille.get(f"{API}/ballots").json()
        assert [b["id"] for b in listed] == [ballot["id"]] and listed[0]["max_choices"] == 2
        early = as_sylvie.post(f"{API}/ballots/{ballot['id']}/count", content_type=JSON)
        assert early.status_code == 422  # still open
        for voter, picks in (
            (camille, [camille, jerome]),
            (jerome, [jerome, camille]),
            (third, [jerome]),
        ):
            services.vote_cast(
                ballot=Ballot.objects.get(pk=ballot["id"]),
                choices=[by_member[p.full_name] for p in picks],
                acting_user=voter.user,
            )
    with time_machine.travel(OPENS + dt.timedelta(hours=2), tick=False):
        assert as_camille.post(f"{API}/ballots/{ballot['id']}/count").status_code == 404
        counted = as_sylvie.post(f"{API}/ballots/{ballot['id']}/count", content_type=JSON)
        assert counted.status_code == 200 and counted.json()["counted_at"]
        results = as_camille.get(f"{API}/ballots/{ballot['id']}/results").json()
    assert results["voters"] == 3 and results["eligible"] == 3
    assert results["turnout_percent"] == "100.0"
    elected = {by_member[camille.full_name], by_member[jerome.full_name]}
    assert set(results["elected"]) == elected
    seat = {"started_on": "2026-05-21", "ended_on": "2028-05-20"}
    assert (
        as_camille.post(f"{API}/ballots/{ballot['id']}/seat", seat, content_type=JSON).status_code
        == 404
    )
    seated = as_sylvie.post(f"{API}/ballots/{ballot['id']}/seat", seat, content_type=JSON)
    assert seated.status_code == 201
    assert {d["member_id"] for d in seated.json()} == {camille.pk, jerome.pk}
    assert (
        Directorship.objects.filter(
            started_on=dt.date(2026, 5, 21), ended_on=dt.date(2028, 5, 20)
        ).count()
        == 2
    )
    again = as_sylvie.post(f"{API}/ballots/{ballot['id']}/seat", seat, content_type=JSON)
    assert again.status_code == 422


def test_a_resolution_with_bad_input_is_refused_and_nothing_written(sylvie, jerome, as_sylvie):
    board(with_shares(jerome, sylvie))
    bad = {
        "question": "Modifier le règlement",
        "kind": "election",
        "record_date": "2026-05-25",
        "opens_at": OPENS.isoformat(),
        "closes_at": (OPENS - dt.timedelta(hours=1)).isoformat(),
        "majority": "two_thirds",
    }
    refused = as_sylvie.post(f"{API}/ballots", bad, content_type=JSON)
    assert refused.status_code == 422
    text = str(refused.json())  # every problem at once, in Sylvie's French
    for field in ("fermeture", "date de référence", "candidats", "majorité"):
        assert field in text
    assert Ballot.objects.count() == 0


def test_the_ballot_pages_for_the_board(sylvie, jerome, camille, as_sylvie, as_camille):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    assert as_camille.get("/gouvernance/scrutins/").status_code == 404
    assert as_camille.get("/gouvernance/scrutins/nouveau/").status_code == 404
    assert as_sylvie.get("/gouvernance/scrutins/nouveau/").status_code == 200
    posted = as_sylvie.post(
        "/gouvernance/scrutins/nouveau/",
        {
            "question": "Adopter le rapport?",
            "kind": "resolution",
            "majority": "simple",
            "seats": "1",
            "secret": "on",
            "record_date": "2026-05-19",
            "opens_at": "2026-05-20T14:00",
            "closes_at": "2026-05-20T15:00",
        },
    )
    ballot = Ballot.objects.get()
    assert posted.status_code == 302 and ballot.secret
    assert as_sylvie.get("/gouvernance/scrutins/").status_code == 200
    with time_machine.travel(dt.datetime(2026, 5, 20, 23, tzinfo=dt.UTC), tick=False):
        assert as_camille.post(f"/gouvernance/scrutins/{ballot.pk}/count/").status_code == 404
        as_sylvie.post(f"/gouvernance/scrutins/{ballot.pk}/count/")
    ballot.refresh_from_db()
    assert ballot.counted_at is not None
