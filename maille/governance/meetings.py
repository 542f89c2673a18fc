"""General meetings: call (with the by-laws' notice), attendance, quorum, minutes.

The annual meeting is held within six months of the fiscal year's end (Act
s. 76): calling it later is allowed but warned, and so is a year end that is
not the by-laws' (``Bylaws.fiscal_year_end_month``). The notice period and the
quorum are by-law settings (``Bylaws.notice_days``, ``quorum_percent``); the
quorum is fixed when the meeting is called, from the members of the register
that day. Minutes are written after the meeting and approved at the next.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.sequences import counter_next
from maille.documents.links import new_nonce
from maille.documents.sending import send_after_commit
from maille.governance.exceptions import GovernanceError
from maille.governance.models import (
    Attendance,
    BoardDecision,
    DecisionKind,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Membership,
)
from maille.governance.selectors import (
    annual_meeting_deadline,
    bylaws_on,
    fiscal_year_bounds,
    is_board_or_staff,
    quorum_for,
)
from maille.members.models import Member


def _board(user: User) -> None:
    if not is_board_or_staff(user):
        raise PermissionError(_("Only staff and the board prepare general meetings."))


@transaction.atomic
def meeting_create(
    *,
    kind: str,
    starts_at: dt.datetime,
    agenda: str,
    acting_user: User,
    place: str = "",
    online_link: str = "",
    fiscal_year_end: dt.date | None = None,
    documents: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> Meeting:
    _board(acting_user)
    problems = []
    if not agenda.strip():
        problems.append(_("agenda: the convocation states the agenda."))
    if not place.strip() and not online_link.strip():
        problems.append(_("place: give a place or an online link."))
    if kind == MeetingKind.ANNUAL and fiscal_year_end is None:
        problems.append(_("fiscal_year_end: an annual meeting names the year it reports on."))
    if problems:
        raise GovernanceError(" ".join(problems))
    year = timezone.localtime(starts_at).year
    number = f"AG-{year}-{counter_next(f'meeting-{year}'):03d}"
    meeting = Meeting.objects.create(
        kind=kind,
        number=number,
        starts_at=starts_at,
        agenda=agenda,
        place=place,
        online_link=online_link,
        fiscal_year_end=fiscal_year_end,
        created_by=acting_user,
    )
    MeetingDocument.objects.bulk_create(
        [MeetingDocument(meeting=meeting, kind=k, title=t, body=b) for k, t, b in documents]
    )
    return meeting


def meeting_warnings(meeting: Meeting) -> list[str]:
    """What the board should know before calling (not refusals)."""
    warnings = []
    if meeting.kind == MeetingKind.ANNUAL and meeting.fiscal_year_end:
        # The year reported on is a fiscal year of the by-laws (e.g. ending
        # 31 March): a date that ends none is most likely a typing slip.
        bylaws_end = fiscal_year_bounds(meeting.fiscal_year_end.year)[1]
        if meeting.fiscal_year_end != bylaws_end:
            warnings.append(
                _(
                    "The fiscal year of the by-laws ends on %(end)s, not on %(given)s: "
                    "check the year this meeting reports on."
                )
                % {"end": bylaws_end, "given": meeting.fiscal_year_end}
            )
        deadline = annual_meeting_deadline(meeting.fiscal_year_end)
        if timezone.localtime(meeting.starts_at).date() > deadline:
            warnings.append(
                _(
                    "The annual meeting must be held within six months of the year end "
                    "(s. 76): by %(d)s."
                )
                % {"d": deadline}
            )
    return warnings


def members_on(day: dt.date) -> int:
    return (
        Membership.objects.filter(admitted_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .count()
    )


@transaction.atomic
def meeting_call(
    *,
    meeting: Meeting,
    decision: BoardDecision,
    acting_user: User,
    called_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """The board calls the meeting: notice checked, quorum fixed, convocation sent after commit.

    The convocation is emailed today, so the call is dated today and the
    by-laws' notice is counted from today: a ``called_on`` other than today
    (typed in a form or the API) is refused, never trusted.
    """
    _board(acting_user)
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    bylaws = bylaws_on(today)
    problems = []
    if meeting.status != MeetingStatus.DRAFT:
        problems.append(_("This meeting has already been called."))
    if decision.kind != DecisionKind.MEETING:
        problems.append(_("decision: the board's decision to call the meeting."))
    if called_on is not None and called_on != today:
        problems.append(
            _("called_on: the convocation is sent today; the call is dated %(d)s.") % {"d": today}
        )
    notice = (timezone.localtime(meeting.starts_at).date() - today).days
    if notice <= 0:
        problems.append(_("starts_at: the meeting must be in the future."))
    elif notice < bylaws.notice_days:
        problems.append(
            _("starts_at: the by-laws require %(n)s days' notice; this gives %(d)s.")
            % {"n": bylaws.notice_days, "d": notice}
        )
    if problems:
        raise GovernanceError(" ".join(problems))
    meeting.status = MeetingStatus.CALLED
    meeting.called_on = today
    meeting.decision = decision
    meeting.members_on_call = members_on(today)
    meeting.quorum_required = quorum_for(meeting.members_on_call, bylaws)
    meeting.link_nonce = new_nonce()
    meeting.save()
    send_after_commit(meeting)
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, member: Member, mode: str, acting_user: User
) -> Attendance:
    _board(acting_user)
    if meeting.status == MeetingStatus.DRAFT:
        raise GovernanceError(_("The meeting has not been called."))
    membership = Membership.objects.filter(member=member).first()
    day = timezone.localtime(meeting.starts_at).date()
    if membership is None or not membership.is_member_on(day):
        raise GovernanceError(_("%(m)s is not a member on the meeting's day.") % {"m": member})
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, member=member, defaults={"mode": mode}
    )
    return attendance


@transaction.atomic
def meeting_hold(*, meeting: Meeting, acting_user: User) -> Meeting:
    """The meeting is open: the quorum is checked against the attendance."""
    _board(acting_user)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.DRAFT:
        raise GovernanceError(_("The meeting has not been called."))
    if meeting.status == MeetingStatus.HELD:
        raise GovernanceError(_("This meeting has already been held."))
    meeting.quorum_met = meeting.attendances.count() >= meeting.quorum_required
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["quorum_met", "status"])
    return meeting


@transaction.atomic
def minutes_write(*, meeting: Meeting, minutes: str, acting_user: User) -> Meeting:
    _board(acting_user)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise GovernanceError(_("Minutes are written once the meeting is held."))
    if meeting.minutes_approved_at_id:
        raise GovernanceError(_("These minutes are approved; they no longer change."))
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at: Meeting, acting_user: User) -> Meeting:
    """The minutes are approved at a later meeting and kept in the register."""
    _board(acting_user)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    at = Meeting.objects.get(pk=at.pk)
    if not meeting.minutes.strip():
        raise GovernanceError(_("There are no minutes to approve."))
    if at.pk == meeting.pk or at.starts_at <= meeting.starts_at or at.status != MeetingStatus.HELD:
        raise GovernanceError(_("at: minutes are approved at a later meeting, once held."))
    meeting.minutes_approved_at = at
    meeting.save(update_fields=["minutes_approved_at"])
    return meeting
