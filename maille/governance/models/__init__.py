"""Governance: joining, shares, the register, meetings, votes and ristournes.

The co-op belongs to its members (Cooperatives Act, C-67.2): joining means
subscribing qualifying shares (s. 40), the register keeps each member's shares
and dates (s. 124), the annual meeting is held within six months of year end
(s. 76), one member has one vote and no proxy (s. 4), and the surplus goes to
the reserve and to ristournes in proportion to each member's business with the
co-op — for a worker co-op, their work (ss. 143, 224.7).

What the by-laws decide (qualifying shares, share price, instalments, notice,
quorum, redemption) is a dated ``Bylaws`` row that admins edit; the row in
force on a day is the one with the latest ``valid_from`` on or before it.

Secret ballots: a voter's *participation* (who voted) and the *cast ballot*
(what was chosen) are two tables with nothing in common but the ballot: the
cast ballot has a random UUID key, no timestamp, no voter, and only the hash
of the receipt code given to the voter. When the ballot is counted, the cast
ballots are rewritten in a random order in one transaction, so neither the
physical order of rows nor the writing transaction links them to the
participations (docs/decisions/0013-governance.md).
"""

from maille.governance.models.meetings import (
    Attendance,
    AttendanceMode,
    Ballot,
    BallotKind,
    BallotOption,
    CastBallot,
    Majority,
    Meeting,
    MeetingDocument,
    MeetingDocumentKind,
    MeetingKind,
    MeetingStatus,
    Participation,
    Ristourne,
    RistourneAllocation,
    RistourneBasis,
    RistourneForm,
    RistourneSlip,
    RistourneStatus,
)
from maille.governance.models.membership import (
    Application,
    ApplicationStatus,
    BoardDecision,
    Bylaws,
    DecisionKind,
    MemberCategory,
    Membership,
    MovementKind,
    PaymentMethod,
    ShareMovement,
    WithdrawalKind,
)

__all__ = [
    "Application",
    "ApplicationStatus",
    "Attendance",
    "AttendanceMode",
    "Ballot",
    "BallotKind",
    "BallotOption",
    "BoardDecision",
    "Bylaws",
    "CastBallot",
    "DecisionKind",
    "Majority",
    "Meeting",
    "MeetingDocument",
    "MeetingDocumentKind",
    "MeetingKind",
    "MeetingStatus",
    "MemberCategory",
    "Membership",
    "MovementKind",
    "Participation",
    "PaymentMethod",
    "Ristourne",
    "RistourneAllocation",
    "RistourneBasis",
    "RistourneForm",
    "RistourneSlip",
    "RistourneStatus",
    "ShareMovement",
    "WithdrawalKind",
]
