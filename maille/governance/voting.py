"""One member, one vote, no proxy (Cooperatives Act s. 4).

A vote writes two rows in one transaction: the ``Participation`` (this member
voted on this ballot: unique, so a second vote — even 32 submitted at once —
fails on the database's constraint and answers 409) and the ``CastBallot``
(what was chosen). For a secret ballot the cast ballot names no voter, has a
random UUID key and no timestamp, and keeps only the SHA-256 of the receipt
code shown once to the voter, who can later check that a ballot with their
code was counted. Counting rewrites the cast ballots in a random order in one
transaction, so neither the physical order of the rows nor the transaction
that wrote them (PostgreSQL's ``xmin``) links a ballot to a participation.

Outcomes (pure ``outcome``): a resolution passes with more *for* than
*against* (simple majority) or at least two thirds of the votes expressed
(by-law changes); abstentions are not votes expressed; a tie does not pass.
An election fills its seats with the candidates having the most votes; a tie
for the last seat is reported, not broken (the meeting votes again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.governance.exceptions import AlreadyVoted, GovernanceError
from maille.governance.models import (
    Ballot,
    BallotKind,
    BallotOption,
    CastBallot,
    Majority,
    Meeting,
    MeetingStatus,
    Participation,
)
from maille.governance.selectors import is_board_or_staff, members_in_good_standing, standing_on
from maille.members.models import Directorship, Member
from maille.members.selectors import member_of

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


@transaction.atomic
def ballot_create(
    *,
    question: str,
    kind: str,
    record_date: dt.date,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    acting_user: User,
    meeting: Meeting | None = None,
    majority: str = Majority.SIMPLE,
    seats: int = 1,
    secret: bool = True,
    candidates: list[Member] | None = None,
) -> Ballot:
    if not is_board_or_staff(acting_user):
        raise PermissionError(_("Only staff and the board open a vote."))
    problems = []
    if not question.strip():
        problems.append(_("question: write the question put to the vote."))
    if closes_at <= opens_at:
        problems.append(_("closes_at: the vote closes after it opens."))
    if record_date > opens_at.date():
        problems.append(_("record_date: the record date is on or before the opening."))
    if kind == BallotKind.ELECTION and (not candidates or seats < 1):
        problems.append(_("candidates: an election needs candidates and at least one seat."))
    if kind == BallotKind.ELECTION and majority != Majority.SIMPLE:
        problems.append(_("majority: an election is won by the most votes."))
    if problems:
        raise GovernanceError(" ".join(problems))
    ballot = Ballot.objects.create(
        meeting=meeting,
        kind=kind,
        question=question,
        majority=majority,
        seats=seats if kind == BallotKind.ELECTION else 1,
        secret=secret,
        record_date=record_date,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=acting_user,
    )
    if kind == BallotKind.ELECTION:
        options = [
            BallotOption(ballot=ballot, label=c.full_name, candidate=c, position=n)
            for n, c in enumerate(candidates or [])
        ]
    else:
        labels = [_("For"), _("Against"), _("Abstention")]
        options = [BallotOption(ballot=ballot, label=t, position=n) for n, t in enumerate(labels)]
    BallotOption.objects.bulk_create(options)
    return ballot


def _choice_problems(ballot: Ballot, choices: list[int]) -> list[str]:
    valid = set(ballot.options.values_list("pk", flat=True))
    problems = []
    if not choices:
        problems.append(_("choices: choose at least one option."))
    if len(set(choices)) != len(choices):
        problems.append(_("choices: the same option twice."))
    if len(set(choices)) > ballot.max_choices:
        problems.append(
            _("choices: at most %(n)s choices on this ballot.") % {"n": ballot.max_choices}
        )
    if set(choices) - valid:
        problems.append(_("choices: an option that is not on this ballot."))
    return problems


def vote_cast(
    *, ballot: Ballot, choices: list[int], acting_user: User, now: dt.datetime | None = None
) -> str:
    """Cast the acting member's vote; returns the receipt code (shown once).

    Raises ``AlreadyVoted`` (409) on a second vote and ``GovernanceError`` (422)
    outside the window, for someone not in good standing on the record date,
    or for choices the ballot does not allow. Nothing is written then."""
    member = member_of(acting_user)
    if member is None:
        raise GovernanceError(_("Only members vote (no proxy)."))
    moment = now or timezone.now()
    code = new_receipt()
    try:
        with transaction.atomic():
            # The ballot's row is locked so that a count never runs while a vote
            # is being written (the count takes the same lock).
            locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
            problems = []
            if not locked.is_open(moment):
                problems.append(_("This vote is not open."))
            standing = standing_on(member, locked.record_date)
            if not standing.ok:
                problems.append(
                    _("You cannot vote on this ballot: %(why)s")
                    % {"why": " ".join(standing.problems)}
                )
            problems += _choice_problems(locked, choices)
            if Participation.objects.filter(ballot=locked, member=member).exists():
                raise AlreadyVoted(_("You have already voted on this ballot."))
            if problems:
                raise GovernanceError(" ".join(problems))
            Participation.objects.create(ballot=locked, member=member)
            CastBallot.objects.create(
                ballot=locked,
                receipt_hash=receipt_hash(code),
                choices=sorted(set(choices)),
                voter=None if locked.secret else member,
            )
    except IntegrityError as exc:
        raise AlreadyVoted(_("You have already voted on this ballot.")) from exc
    return code


def receipt_counted(*, ballot: Ballot, code: str) -> bool:
    """Whether a ballot with this receipt code is in the count."""
    return CastBallot.objects.filter(ballot=ballot, receipt_hash=receipt_hash(code)).exists()


@dataclass(frozen=True)
class Outcome:
    adopted: bool | None  # resolutions
    elected: list[int]  # option ids (elections)
    tied: list[int]  # candidates tied for the last seat
    expressed: int
    note: str


def outcome(*, kind: str, majority: str, seats: int, tallies: list[tuple[int, int]]) -> Outcome:
    """The result from (option id, votes) in the ballot's order (pure)."""
    if kind == BallotKind.RESOLUTION:
        yes, no = tallies[0][1], tallies[1][1]
        expressed = yes + no
        if majority == Majority.TWO_THIRDS:
            adopted = expressed > 0 and yes * 3 >= expressed * 2
        else:
            adopted = yes > no
        note = _("Tie: the resolution is not adopted.") if yes == no else ""
        return Outcome(adopted, [], [], expressed, note)
    ranked = sorted(tallies, key=lambda t: -t[1])
    expressed = sum(v for _o, v in tallies)
    if len(ranked) <= seats:
        return Outcome(None, [o for o, v in ranked if v > 0], [], expressed, "")
    cut = ranked[seats - 1][1]
    above = [o for o, v in ranked if v > cut]
    at_cut = [o for o, v in ranked if v == cut]
    if len(above) + len(at_cut) == seats:
        return Outcome(None, above + at_cut, [], expressed, "")
    return Outcome(
        None,
        above,
        at_cut,
        expressed,
        _("Tie for the last seats: the meeting votes again between the tied candidates."),
    )


@transaction.atomic
def ballot_count(*, ballot: Ballot, acting_user: User, now: dt.datetime | None = None) -> Ballot:
    """Close and count: tallies, turnout, and the cast ballots shuffled (secret)."""
    if not is_board_or_staff(acting_user):
        raise PermissionError(_("Only staff and the board count a vote."))
    moment = now or timezone.now()
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.counted_at is not None:
        raise GovernanceError(_("This vote has already been counted."))
    if moment < ballot.closes_at:
        raise GovernanceError(_("The vote is still open until %(t)s.") % {"t": ballot.closes_at})
    if ballot.meeting is not None and ballot.meeting.status != MeetingStatus.HELD:
        raise GovernanceError(_("The meeting is not held yet: its votes are counted after it."))
    if ballot.meeting is not None and ballot.meeting.quorum_met is False:
        raise GovernanceError(_("The meeting did not reach its quorum: no vote can be counted."))
    cast = list(CastBallot.objects.filter(ballot=ballot))
    counts: dict[int, int] = {o: 0 for o in ballot.options.values_list("pk", flat=True)}
    for c in cast:
        for choice in c.choices:
            counts[choice] = counts.get(choice, 0) + 1
    for option in ballot.options.all():
        option.votes = counts.get(option.pk, 0)
        option.save(update_fields=["votes"])
    if ballot.secret:
        # Rewrite in a random order with fresh keys: the rows no longer carry
        # the order or the transaction in which they were cast.
        rng = random.SystemRandom()
        rng.shuffle(cast)
        CastBallot.objects.filter(ballot=ballot).delete()
        CastBallot.objects.bulk_create(
            [
                CastBallot(
                    id=uuid.uuid4(), ballot=ballot, receipt_hash=c.receipt_hash, choices=c.choices
                )
                for c in cast
            ]
        )
    ballot.eligible_count = len(members_in_good_standing(ballot.record_date))
    ballot.counted_at = moment
    ballot.save(update_fields=["eligible_count", "counted_at"])
    return ballot


def ballot_outcome(ballot: Ballot) -> Outcome:
    tallies = [(o.pk, o.votes or 0) for o in ballot.options.all()]
    return outcome(kind=ballot.kind, majority=ballot.majority, seats=ballot.seats, tallies=tallies)


@transaction.atomic
def election_seat(
    *, ballot: Ballot, started_on: dt.date, ended_on: dt.date | None, acting_user: User
) -> list[Directorship]:
    """The elected candidates take their seats (``members.Directorship``, dated)."""
    if not acting_user.is_staff:
        raise PermissionError(_("Only staff mark the directors."))
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.kind != BallotKind.ELECTION or ballot.counted_at is None:
        raise GovernanceError(_("Only a counted election seats directors."))
    result = ballot_outcome(ballot)
    if result.tied:
        raise GovernanceError(result.note)
    note = _("Elected: %(q)s") % {"q": ballot.question}
    if Directorship.objects.filter(note=note[:300], started_on=started_on).exists():
        raise GovernanceError(_("These directors have already taken their seats."))
    options = BallotOption.objects.filter(pk__in=result.elected).select_related("candidate")
    return [
        Directorship.objects.create(
            member=o.candidate, started_on=started_on, ended_on=ended_on, note=note[:300]
        )
        for o in options
        if o.candidate is not None
    ]
