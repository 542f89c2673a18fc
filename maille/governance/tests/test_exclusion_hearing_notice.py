"""An exclusion comes after a hearing the member was notified of at least the
by-laws' notice before (``Bylaws.exclusion_hearing_days``: 10 days here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from maille.governance import board
from maille.governance.board import Decision
from maille.governance.exceptions import GovernanceError
from maille.governance.models import BoardDecision
from maille.governance.tests.helpers import admitted, with_shares
from maille.governance.tests.helpers import board as seat
from maille.members.models import MemberStatus

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"
JSON = "application/json"
DECIDED = dt.date(2026, 4, 10)
HEARD = dt.date(2026, 4, 5)


def _exclude(member, director, staff, *, notice_on, hearing_on=HEARD):
    return board.member_exclude(
        member=member,
        effective_on=DECIDED,
        reasons="Manquements répétés",
        hearing_on=hearing_on,
        hearing_notice_on=notice_on,
        decision=Decision(DECIDED, "Exclusion après audition", [director]),
        acting_user=staff,
    )


@pytest.fixture
def director(jerome, sylvie):
    return seat(admitted(jerome))[0]


def test_a_hearing_with_the_by_laws_notice_allows_the_exclusion(camille, director, sylvie):
    with_shares(camille, sylvie)
    membership = _exclude(camille, director, sylvie, notice_on=dt.date(2026, 3, 26))  # 10 days
    assert membership.hearing_notice_on == dt.date(2026, 3, 26)
    assert membership.hearing_on == HEARD
    assert membership.withdrawal_kind == "exclusion"


def test_a_hearing_too_soon_after_the_notice_is_refused_and_nothing_is_written(
    camille, director, sylvie
):
    with_shares(camille, sylvie)
    with pytest.raises(GovernanceError) as refused:
        _exclude(camille, director, sylvie, notice_on=dt.date(2026, 3, 27))  # 9 days
    message = str(refused.value)
    assert message.startswith("hearing_notice_on:")
    assert "10 days of notice" in message and "from 2026-04-06" in message
    assert not BoardDecision.objects.exists()
    camille.refresh_from_db()
    camille.membership.refresh_from_db()
    assert camille.membership.withdrawn_on is None and camille.membership.hearing_notice_on is None
    assert camille.status == MemberStatus.ACTIVE


def test_an_exclusion_without_the_notice_date_is_refused(camille, director, sylvie):
    with_shares(camille, sylvie)
    with pytest.raises(GovernanceError, match="hearing_notice_on: give the date"):
        _exclude(camille, director, sylvie, notice_on=None)
    assert not BoardDecision.objects.exists()


def test_every_problem_is_told_at_once(camille, director, sylvie):
    with_shares(camille, sylvie)
    with pytest.raises(GovernanceError) as refused:
        _exclude(
            camille,
            director,
            sylvie,
            notice_on=dt.date(2026, 4, 8),
            hearing_on=dt.date(2026, 4, 12),  # after the decision, and 4 days of notice
        )
    message = str(refused.value)
    assert "hearing_on: the member must be heard before the decision" in message
    assert "hearing_notice_on: the by-laws give the member 10 days" in message


def _body(notice_on: str) -> dict[str, Any]:
    return {
        "effective_on": "2026-04-10",
        "exclusion": {
            "reasons": "Manquements répétés",
            "hearing_notice_on": notice_on,
            "hearing_on": "2026-04-05",
            "decision": {
                "date": "2026-04-10",
                "text": "Exclusion après audition",
                "directors_present": [],
            },
        },
    }


def test_the_api_names_the_field_in_the_persons_language(camille, director, sylvie, as_sylvie):
    with_shares(camille, sylvie)
    url = f"{API}/members/{camille.pk}/withdrawal"
    body = _body("2026-03-30")
    body["exclusion"]["decision"]["directors_present"] = [director.pk]
    refused = as_sylvie.post(url, body, content_type=JSON, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["message"].startswith("avis d'audition : le règlement donne au membre")
    assert not BoardDecision.objects.exists()
    body["exclusion"]["hearing_notice_on"] = "2026-03-20"
    done = as_sylvie.post(url, body, content_type=JSON)
    assert done.status_code == 200, done.content
    assert done.json()["hearing_notice_on"] == "2026-03-20"


def test_the_board_form_records_the_notice(camille, director, sylvie, as_sylvie):
    with_shares(camille, sylvie)
    form = {
        "decision_date": "2026-04-10",
        "decision_text": "Exclusion après audition",
        "directors_present": [director.pk],
        "effective_on": "2026-04-10",
        "reasons": "Manquements répétés",
        "hearing_notice_on": "2026-03-31",
        "hearing_on": "2026-04-05",
    }
    url = f"/gouvernance/registre/{camille.pk}/exclude/"
    page = as_sylvie.post(url, form, follow=True)
    assert "avis d&#x27;audition : le règlement" in page.content.decode()
    camille.membership.refresh_from_db()
    assert camille.membership.withdrawn_on is None
    as_sylvie.post(url, form | {"hearing_notice_on": "2026-03-26"})
    camille.membership.refresh_from_db()
    assert camille.membership.hearing_notice_on == dt.date(2026, 3, 26)
    assert camille.membership.withdrawal_kind == "exclusion"
