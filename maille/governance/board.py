"""What the board decides, recorded with its decision in one transaction.

Calling a meeting, approving a transfer or a redemption of shares, excluding
a member: each is a board decision (dated, directors present, a majority of
the board, ``joining.board_decision_record``) and the act it authorises. A
refusal of either leaves nothing written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.governance.exceptions import GovernanceError
from maille.governance.joining import (
    board_decision_problems,
    board_decision_record,
    hearing_problems,
    membership_end,
)
from maille.governance.meetings import meeting_call
from maille.governance.models import (
    BoardDecision,
    DecisionKind,
    Meeting,
    Membership,
    ShareMovement,
)
from maille.governance.selectors import is_board_or_staff
from maille.governance.shares import shares_redeem, shares_transfer
from maille.members.models import Member


@dataclass(frozen=True)
class Decision:
    """The board's decision as given by a form or the API."""

    date: dt.date
    text: str
    directors_present: list[Member]

    def record(self, kind: DecisionKind, acting_user: User) -> BoardDecision:
        """The decision written in the board's register (``joining.board_decision_record``)."""
        return board_decision_record(
            date=self.date,
            kind=kind,
            text=self.text,
            directors_present=self.directors_present,
            acting_user=acting_user,
        )


def _staff(user: User) -> None:
    if not user.is_staff:
        raise PermissionError(_("Only staff record what the board decided on shares."))


@transaction.atomic
def meeting_convene(
    *,
    meeting: Meeting,
    decision: Decision,
    acting_user: User,
    called_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """The board decides to call the meeting; the convocation goes out after commit."""
    if not is_board_or_staff(acting_user):
        raise PermissionError(_("Only staff and the board prepare general meetings."))
    recorded = decision.record(DecisionKind.MEETING, acting_user)
    return meeting_call(
        meeting=meeting,
        decision=recorded,
        called_on=called_on,
        today=today,
        acting_user=acting_user,
    )


@transaction.atomic
def shares_transfer_approved(
    *, member: Member, to: Member, shares: int, date: dt.date, decision: Decision, acting_user: User
) -> tuple[ShareMovement, ShareMovement]:
    """A transfer of paid shares, with the board's approval (s. 41)."""
    _staff(acting_user)
    recorded = decision.record(DecisionKind.TRANSFER, acting_user)
    return shares_transfer(
        member=member, to=to, shares=shares, date=date, decision=recorded, acting_user=acting_user
    )


@transaction.atomic
def shares_redeem_approved(
    *, member: Member, shares: int, date: dt.date, decision: Decision, acting_user: User
) -> ShareMovement:
    """A redemption as the by-laws allow, with the board's approval (s. 38)."""
    _staff(acting_user)
    recorded = decision.record(DecisionKind.REDEMPTION, acting_user)
    return shares_redeem(
        member=member, shares=shares, date=date, decision=recorded, acting_user=acting_user
    )


@transaction.atomic
def member_exclude(
    *,
    member: Member,
    effective_on: dt.date,
    reasons: str,
    hearing_on: dt.date | None,
    decision: Decision,
    acting_user: User,
    hearing_notice_on: dt.date | None = None,
) -> Membership:
    """The board excludes the member, with reasons, after the hearing the by-laws
    give: every problem of the decision and of the hearing is told at once,
    before anything is written."""
    _staff(acting_user)
    problems = board_decision_problems(decision.date, decision.directors_present)
    problems += hearing_problems(
        notice_on=hearing_notice_on, hearing_on=hearing_on, decision_on=decision.date
    )
    if problems:
        raise GovernanceError(" ".join(problems))
    recorded = decision.record(DecisionKind.EXCLUSION, acting_user)
    return membership_end(
        member=member,
        effective_on=effective_on,
        acting_user=acting_user,
        decision=recorded,
        reasons=reasons,
        hearing_on=hearing_on,
        hearing_notice_on=hearing_notice_on,
    )
