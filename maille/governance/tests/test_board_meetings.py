"""Staff and the board prepare, call and hold a general meeting through the API
and the pages: the notice of the by-laws, the six-month warning, the
convocation in each member's language, attendance, quorum, minutes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from maille.governance.models import BoardDecision, Meeting, MeetingStatus
from maille.governance.tests.helpers import board, with_shares

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"
JSON = "application/json"


def _create(client, **over):
    body = {
        "kind": "annual",
        "starts_at": "2026-07-15T18:00:00-04:00",
        "agenda": "1. États financiers\n2. Élections",
        "place": "Salle commune",
        "fiscal_year_end": "2025-12-31",
        "documents": [
            {"kind": "statements", "title": "États financiers 2025", "body": "Excédent 12 000 $"}
        ],
    } | over
    return client.post(f"{API}/meetings", body, content_type=JSON)


def _on(day: str):
    """Travel to noon, Montréal, on ``day``: the call is dated the day it is made."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T16:00:00+00:00"), tick=False)


def _call(client, meeting_id, director, called_on, *, today=None):
    with _on(today or called_on):
        return client.post(
            f"{API}/meetings/{meeting_id}/call",
            {
                "called_on": called_on,
                "decision": {
                    "date": called_on,
                    "text": "Le conseil convoque l'AGA.",
                    "directors_present": [director.pk],
                },
            },
            content_type=JSON,
        )


def test_a_call_dated_before_today_is_refused_by_the_api(sylvie, jerome, as_sylvie):
    """The convocation is emailed today: a typed earlier date cannot fake the notice."""
    board(with_shares(jerome, sylvie))
    meeting = _create(as_sylvie).json()
    backdated = _call(as_sylvie, meeting["id"], jerome, "2026-06-15", today="2026-07-10")
    assert backdated.status_code == 422
    assert "2026-07-10" in str(backdated.json())
    assert Meeting.objects.get().status == MeetingStatus.DRAFT


def test_a_member_cannot_prepare_or_call_a_meeting(as_camille):
    assert _create(as_camille).status_code == 404
    assert Meeting.objects.count() == 0


def test_the_board_calls_a_meeting_with_notice_and_each_member_gets_it_in_their_language(
    sylvie, camille, jerome, as_sylvie, monkeypatch, django_capture_on_commit_callbacks
):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    camille.user.language = "en"
    camille.user.save()
    created = _create(as_sylvie)
    assert created.status_code == 201, created.content
    meeting = created.json()
    # 15 July is more than six months after 31 December: Maille warns, not refuses.
    assert "2026-06-30" in " ".join(meeting["warnings"])  # s. 76, in Sylvie's French
    # Five days' notice where the by-laws want ten: refused, nothing written.
    short = _call(as_sylvie, meeting["id"], jerome, "2026-07-10")
    assert short.status_code == 422
    assert "10 jours" in str(short.json()) and "en donne 5" in str(short.json())
    assert BoardDecision.objects.count() == 0
    assert Meeting.objects.get().status == MeetingStatus.DRAFT
    rendered = []

    def fake_pdf(template, context, *, language):
        rendered.append(language)
        return f"%PDF {language}".encode()

    monkeypatch.setattr("maille.contracts.documents.render_pdf", fake_pdf)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        called = _call(as_sylvie, meeting["id"], jerome, "2026-06-15")
    assert called.status_code == 200, called.content
    assert called.json()["status"] == "called"
    assert BoardDecision.objects.get().directors_present.get() == jerome
    pdfs = {m.to[0]: m.attachments[0][1] for m in mail.outbox}
    assert pdfs == {camille.user.email: b"%PDF en", jerome.user.email: b"%PDF fr"}
    assert sorted(rendered) == ["en", "fr"]  # once per language, not per member


def test_attendance_quorum_and_minutes_approved_at_the_next_meeting(
    sylvie, camille, jerome, as_sylvie, as_camille
):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    first = _create(as_sylvie, starts_at="2026-05-20T18:00:00-04:00").json()
    _call(as_sylvie, first["id"], jerome, "2026-04-20")
    url = f"{API}/meetings/{first['id']}"
    # Minutes before the meeting is held: refused.
    early = as_sylvie.post(f"{url}/minutes", {"minutes": "x"}, content_type=JSON)
    assert early.status_code == 422
    for m, mode in ((jerome, "in_person"), (camille, "online")):
        r = as_sylvie.post(
            f"{url}/attendance", {"member_id": m.pk, "mode": mode}, content_type=JSON
        )
        assert r.status_code == 200
    held = as_sylvie.post(f"{url}/hold", content_type=JSON).json()
    assert held["quorum_met"] is True and held["quorum_required"] == 1
    assert {(a["member_id"], a["mode"]) for a in held["attendance"]} == {
        (jerome.pk, "in_person"),
        (camille.pk, "online"),
    }
    written = as_sylvie.post(f"{url}/minutes", {"minutes": "PV de l'AGA"}, content_type=JSON)
    assert written.json()["minutes"] == "PV de l'AGA"
    # A member sees the meeting but neither its attendance nor can act on it.
    seen = as_camille.get(url).json()
    assert seen["minutes"] == "PV de l'AGA" and seen["attendance"] == []
    assert as_camille.post(f"{url}/hold", content_type=JSON).status_code == 404
    second = _create(as_sylvie, kind="special", starts_at="2026-09-20T18:00:00-04:00").json()
    same = as_sylvie.post(
        f"{url}/minutes/approve", {"at_meeting_id": first["id"]}, content_type=JSON
    )
    assert same.status_code == 422
    _call(as_sylvie, second["id"], jerome, "2026-09-01")
    as_sylvie.post(
        f"{API}/meetings/{second['id']}/attendance",
        {"member_id": jerome.pk, "mode": "in_person"},
        content_type=JSON,
    )
    as_sylvie.post(f"{API}/meetings/{second['id']}/hold", content_type=JSON)
    approved = as_sylvie.post(
        f"{url}/minutes/approve", {"at_meeting_id": second["id"]}, content_type=JSON
    )
    assert approved.json()["minutes_approved_at"] == second["id"]
    again = as_sylvie.post(f"{url}/minutes", {"minutes": "changé"}, content_type=JSON)
    assert again.status_code == 422


def test_the_meeting_pages_for_the_board(sylvie, jerome, camille, as_sylvie, as_camille):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    assert as_camille.get("/gouvernance/assemblees/nouvelle/").status_code == 404
    page = as_sylvie.post(
        "/gouvernance/assemblees/nouvelle/",
        {
            "kind": "annual",
            "starts_at": "2026-05-20T18:00",
            "place": "Salle commune",
            "fiscal_year_end": "2025-12-31",
            "agenda": "1. États financiers",
            "report": "Rapport du conseil",
        },
    )
    meeting = Meeting.objects.get()
    assert page.status_code == 302 and meeting.documents.get().kind == "report"
    detail = as_sylvie.get(f"/gouvernance/assemblees/{meeting.pk}/")
    assert b'name="called_on"' not in detail.content  # the call is dated today
    call = {
        "called_on": "2026-04-20",  # ignored: the form has no such field
        "decision_date": "2026-05-15",
        "decision_text": "Convocation",
        "directors_present": [jerome.pk],
    }
    with _on("2026-05-15"):
        as_sylvie.post(f"/gouvernance/assemblees/{meeting.pk}/call/", call)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT  # five days: refused
    assert BoardDecision.objects.count() == 0
    call["decision_date"] = "2026-04-20"
    with _on("2026-04-20"):
        as_sylvie.post(f"/gouvernance/assemblees/{meeting.pk}/call/", call)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CALLED
    denied = as_camille.post(f"/gouvernance/assemblees/{meeting.pk}/hold/")
    assert denied.status_code == 404
    as_sylvie.post(
        f"/gouvernance/assemblees/{meeting.pk}/attendance/",
        {"member": camille.pk, "mode": "online"},
    )
    as_sylvie.post(f"/gouvernance/assemblees/{meeting.pk}/hold/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.quorum_met is True
