"""General meetings: notice, the six months of s. 76, convocation by email, quorum, minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from maille.governance import services
from maille.governance.exceptions import GovernanceError
from maille.governance.meetings import meeting_warnings
from maille.governance.models import AttendanceMode, DecisionKind, MeetingStatus
from maille.governance.tests.helpers import admitted, board, with_shares
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

MONTREAL = dt.timezone(dt.timedelta(hours=-4))


def _meeting(staff, *, day=dt.date(2026, 5, 20)):
    return services.meeting_create(
        kind="annual",
        starts_at=dt.datetime(day.year, day.month, day.day, 18, 0, tzinfo=MONTREAL),
        agenda="1. États financiers\\n2. Élection\\n3. Ristournes",
        place="Salle commune, 1234 rue Saint-Denis",
        fiscal_year_end=dt.date(2025, 12, 31),
        documents=[("statements", "États financiers 2025", "Excédent : 12 000 $")],
        acting_user=staff,
    )


def _decision(staff, director, day=dt.date(2026, 4, 20)):
    return services.board_decision_record(
        date=day,
        kind=DecisionKind.MEETING,
        text="Convocation de l'AGA",
        directors_present=[director],
        acting_user=staff,
    )


def test_a_meeting_called_with_less_notice_than_the_bylaws_is_refused(sylvie, jerome):
    board(admitted(jerome))
    meeting = _meeting(sylvie)
    with pytest.raises(GovernanceError, match="10 days' notice; this gives 5"):
        services.meeting_call(
            meeting=meeting,
            decision=_decision(sylvie, jerome),
            today=dt.date(2026, 5, 15),
            acting_user=sylvie,
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT and not meeting.called_on


def test_the_notice_is_counted_from_today_whatever_date_is_typed(sylvie, jerome):
    """The convocation is emailed today: a call dated earlier cannot stretch the notice."""
    board(admitted(jerome))
    today = dt.date(2026, 11, 30)
    soon = _meeting(sylvie, day=today + dt.timedelta(days=5))
    with pytest.raises(GovernanceError, match="call is dated 2026-11-30"):
        services.meeting_call(
            meeting=soon,
            decision=_decision(sylvie, jerome, today),
            called_on=today - dt.timedelta(days=30),
            today=today,
            acting_user=sylvie,
        )
    with pytest.raises(GovernanceError, match="10 days' notice; this gives 5"):
        services.meeting_call(
            meeting=soon,
            decision=_decision(sylvie, jerome, today),
            today=today,
            acting_user=sylvie,
        )
    past = _meeting(sylvie, day=dt.date(2026, 5, 20))
    with pytest.raises(GovernanceError, match="must be in the future"):
        services.meeting_call(
            meeting=past,
            decision=_decision(sylvie, jerome, today),
            today=today,
            acting_user=sylvie,
        )
    for m in (soon, past):
        m.refresh_from_db()
        assert m.status == MeetingStatus.DRAFT and not m.called_on


def test_the_call_is_dated_today_by_default(sylvie, jerome):
    from django.utils import timezone

    board(admitted(jerome))
    today = timezone.localdate()
    meeting = _meeting(sylvie, day=today + dt.timedelta(days=20))
    services.meeting_call(
        meeting=meeting, decision=_decision(sylvie, jerome, today), acting_user=sylvie
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CALLED and meeting.called_on == today


def test_maille_warns_when_the_annual_meeting_is_later_than_six_months(sylvie):
    late = _meeting(sylvie, day=dt.date(2026, 7, 2))
    assert "six months" in " ".join(meeting_warnings(late))
    assert meeting_warnings(_meeting(sylvie, day=dt.date(2026, 6, 30))) == []


def test_the_convocation_goes_to_every_member_in_their_language(
    sylvie, camille, jerome, django_capture_on_commit_callbacks
):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    camille.user.language = "en"
    camille.user.save()
    meeting = _meeting(sylvie)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_call(
            meeting=meeting,
            decision=_decision(sylvie, jerome),
            today=dt.date(2026, 4, 20),
            acting_user=sylvie,
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {camille.user.email, jerome.user.email}
    assert by_address[camille.user.email].subject.startswith("Convocation: Annual")
    assert by_address[jerome.user.email].subject.startswith("Convocation : Assemblée")
    assert by_address[camille.user.email].attachments[0][2] == "application/pdf"
    meeting.refresh_from_db()
    assert meeting.sent_at is not None and meeting.quorum_required == 1


def test_quorum_attendance_and_minutes_approved_at_the_next_meeting(sylvie, jerome):
    members = [with_shares(factories.MemberFactory(), sylvie) for _ in range(15)]
    board(with_shares(jerome, sylvie))
    meeting = _meeting(sylvie)
    services.meeting_call(
        meeting=meeting,
        decision=_decision(sylvie, jerome),
        today=dt.date(2026, 4, 20),
        acting_user=sylvie,
    )
    meeting.refresh_from_db()
    assert (meeting.members_on_call, meeting.quorum_required) == (16, 2)  # 10 %, rounded up
    services.attendance_record(
        meeting=meeting, member=members[0], mode=AttendanceMode.ONLINE, acting_user=sylvie
    )
    with pytest.raises(GovernanceError, match="once the meeting is held"):
        services.minutes_write(meeting=meeting, minutes="…", acting_user=sylvie)
    services.attendance_record(
        meeting=meeting, member=members[1], mode=AttendanceMode.IN_PERSON, acting_user=sylvie
    )
    assert services.meeting_hold(meeting=meeting, acting_user=sylvie).quorum_met is True
    with pytest.raises(GovernanceError, match="already been held"):
        services.meeting_hold(meeting=meeting, acting_user=sylvie)  # not re-run
    services.minutes_write(
        meeting=meeting, minutes="Procès-verbal de l'AGA 2026", acting_user=sylvie
    )
    later = services.meeting_create(
        kind="special",
        starts_at=dt.datetime(2026, 9, 10, 18, tzinfo=MONTREAL),
        agenda="Approbation du PV",
        online_link="https://meet.example.test/ag",
        acting_user=sylvie,
    )
    services.meeting_call(
        meeting=later,
        decision=_decision(sylvie, jerome, dt.date(2026, 8, 20)),
        today=dt.date(2026, 8, 20),
        acting_user=sylvie,
    )
    with pytest.raises(GovernanceError, match="later meeting"):
        services.minutes_approve(meeting=meeting, at=later, acting_user=sylvie)  # not held yet
    services.meeting_hold(meeting=later, acting_user=sylvie)
    services.minutes_approve(meeting=meeting, at=later, acting_user=sylvie)
    with pytest.raises(GovernanceError, match="no longer change"):
        services.minutes_write(meeting=meeting, minutes="changé", acting_user=sylvie)


def test_a_meetings_vote_is_not_counted_before_the_meeting_is_held(sylvie, jerome):
    from django.utils import timezone

    from maille.governance.models import BallotKind

    board(admitted(jerome))
    now = timezone.now()
    meeting = _meeting(sylvie, day=timezone.localdate() + dt.timedelta(days=20))
    ballot = services.ballot_create(
        question="Adopter les états financiers?",
        kind=BallotKind.RESOLUTION,
        record_date=timezone.localdate() - dt.timedelta(days=1),
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now - dt.timedelta(hours=1),
        meeting=meeting,
        acting_user=sylvie,
    )
    with pytest.raises(GovernanceError, match="not held yet"):
        services.ballot_count(ballot=ballot, acting_user=sylvie)
    ballot.refresh_from_db()
    assert ballot.counted_at is None
