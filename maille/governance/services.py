"""Every write of governance, in one place to grep: views, the API, the CLI and
tasks call these. Each lives in the module of its subject (joining, shares,
meetings, voting, ristournes); this module names them."""

from maille.governance.joining import (
    application_decide,
    application_review,
    application_submit,
    board_decision_record,
    membership_end,
    resignation_request,
    withdrawn_activities_close,
)
from maille.governance.meetings import (
    attendance_record,
    meeting_call,
    meeting_create,
    meeting_hold,
    minutes_approve,
    minutes_write,
)
from maille.governance.ristournes import ristourne_allocate, ristourne_pay, ristourne_simulate
from maille.governance.shares import (
    shares_pay,
    shares_redeem,
    shares_repay,
    shares_subscribe,
    shares_transfer,
)
from maille.governance.voting import ballot_count, ballot_create, election_seat, vote_cast

__all__ = [
    "application_decide",
    "application_review",
    "application_submit",
    "attendance_record",
    "ballot_count",
    "ballot_create",
    "board_decision_record",
    "election_seat",
    "meeting_call",
    "meeting_create",
    "meeting_hold",
    "membership_end",
    "minutes_approve",
    "minutes_write",
    "resignation_request",
    "ristourne_allocate",
    "ristourne_pay",
    "ristourne_simulate",
    "shares_pay",
    "shares_redeem",
    "shares_repay",
    "shares_subscribe",
    "shares_transfer",
    "vote_cast",
    "withdrawn_activities_close",
]
