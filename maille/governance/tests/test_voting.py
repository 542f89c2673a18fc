"""One member, one vote: the window, the record date, the choices, the count, the majorities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from maille.governance import services
from maille.governance.exceptions import AlreadyVoted, GovernanceError
from maille.governance.models import BallotKind, CastBallot, Participation
from maille.governance.tests.helpers import open_resolution, with_shares
from maille.governance.voting import ballot_outcome, outcome, receipt_counted
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def _for(ballot):
    return list(ballot.options.values_list("pk", flat=True))


def test_a_member_votes_once_and_checks_their_receipt(camille, sylvie):
    with_shares(camille, sylvie)
    ballot = open_resolution(sylvie)
    yes = _for(ballot)[0]
    code = services.vote_cast(ballot=ballot, choices=[yes], acting_user=camille.user)
    with pytest.raises(AlreadyVoted):
        services.vote_cast(ballot=ballot, choices=[yes], acting_user=camille.user)
    assert Participation.objects.count() == 1 and CastBallot.objects.count() == 1
    with time_machine.travel(ballot.closes_at + dt.timedelta(minutes=1)):
        services.ballot_count(ballot=ballot, acting_user=sylvie)
    assert receipt_counted(ballot=ballot, code=code)
    assert receipt_counted(ballot=ballot, code=code.lower())
    assert not receipt_counted(ballot=ballot, code="AAAA-BBBB-CCCC")


def test_a_vote_outside_the_window_or_by_a_member_not_in_good_standing_is_refused(
    camille, jerome, sylvie
):
    with_shares(camille, sylvie)
    with_shares(jerome, sylvie, paid=Decimal("10.00"))  # instalments behind
    ballot = open_resolution(sylvie)
    yes = _for(ballot)[0]
    with pytest.raises(GovernanceError, match="instalments"):
        services.vote_cast(ballot=ballot, choices=[yes], acting_user=jerome.user)
    late = ballot.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(GovernanceError, match="not open"):
        services.vote_cast(ballot=ballot, choices=[yes], acting_user=camille.user, now=late)
    stranger = factories.MemberFactory()  # never admitted
    with pytest.raises(GovernanceError, match="record date"):
        services.vote_cast(ballot=ballot, choices=[yes], acting_user=stranger.user)
    with pytest.raises(GovernanceError, match="Only members"):
        services.vote_cast(ballot=ballot, choices=[yes], acting_user=sylvie)
    assert not Participation.objects.exists() and not CastBallot.objects.exists()


def test_a_ballot_for_too_many_candidates_is_refused(camille, jerome, sylvie):
    with_shares(camille, sylvie)
    others = [with_shares(factories.MemberFactory(), sylvie) for _ in range(3)]
    now = timezone.now()
    election = services.ballot_create(
        question="Élection au conseil",
        kind=BallotKind.ELECTION,
        seats=2,
        record_date=timezone.localdate() - dt.timedelta(days=1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
        acting_user=sylvie,
        candidates=others,
    )
    options = _for(election)
    with pytest.raises(GovernanceError, match="at most 2"):
        services.vote_cast(ballot=election, choices=options, acting_user=camille.user)
    with pytest.raises(GovernanceError, match="not on this ballot"):
        services.vote_cast(ballot=election, choices=[options[0], 999999], acting_user=camille.user)
    services.vote_cast(ballot=election, choices=options[:2], acting_user=camille.user)


def test_the_count_gives_tallies_turnout_and_seats_directors(camille, jerome, sylvie):
    voters = [with_shares(factories.MemberFactory(), sylvie) for _ in range(4)]
    candidates = [with_shares(camille, sylvie), with_shares(jerome, sylvie)]
    now = timezone.now()
    election = services.ballot_create(
        question="Élection au conseil",
        kind=BallotKind.ELECTION,
        seats=1,
        record_date=timezone.localdate() - dt.timedelta(days=1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
        acting_user=sylvie,
        candidates=candidates,
    )
    a, b = _for(election)
    for voter, choice in zip(voters, [a, a, a, b], strict=True):
        services.vote_cast(ballot=election, choices=[choice], acting_user=voter.user)
    with pytest.raises(GovernanceError, match="still open"):
        services.ballot_count(ballot=election, acting_user=sylvie)
    with time_machine.travel(election.closes_at + dt.timedelta(minutes=1)):
        services.ballot_count(ballot=election, acting_user=sylvie)
    election.refresh_from_db()
    assert election.eligible_count == 6
    result = ballot_outcome(election)
    assert result.elected == [a] and result.expressed == 4
    seats = services.election_seat(
        ballot=election, started_on=dt.date(2026, 6, 1), ended_on=None, acting_user=sylvie
    )
    assert [s.member for s in seats] == [camille]


@pytest.mark.parametrize(
    ("majority", "yes", "no", "abstain", "adopted"),
    [
        ("simple", 5, 4, 10, True),
        ("simple", 5, 5, 0, False),  # a tie does not pass
        ("two_thirds", 6, 3, 0, True),  # exactly two thirds
        ("two_thirds", 6, 4, 0, False),
        ("two_thirds", 0, 0, 3, False),
    ],
)
def test_majorities(majority, yes, no, abstain, adopted):
    result = outcome(
        kind="resolution", majority=majority, seats=1, tallies=[(1, yes), (2, no), (3, abstain)]
    )
    assert result.adopted is adopted
    assert result.expressed == yes + no


def test_a_tie_for_the_last_seat_is_reported_not_broken():
    result = outcome(
        kind="election", majority="simple", seats=2, tallies=[(1, 9), (2, 5), (3, 5), (4, 1)]
    )
    assert result.elected == [1] and sorted(result.tied) == [2, 3] and result.note


def test_a_secret_ballot_cannot_be_linked_to_its_voter_after_the_count(sylvie):
    voters = [with_shares(factories.MemberFactory(), sylvie) for _ in range(6)]
    ballot = open_resolution(sylvie)
    yes, no, _abstain = _for(ballot)
    codes = {}
    for n, voter in enumerate(voters):
        codes[voter.pk] = services.vote_cast(
            ballot=ballot, choices=[yes if n % 2 else no], acting_user=voter.user
        )
    before = set(CastBallot.objects.values_list("id", flat=True))
    with time_machine.travel(ballot.closes_at + dt.timedelta(minutes=1)):
        services.ballot_count(ballot=ballot, acting_user=sylvie)
    # The cast ballot holds no voter, no time, and no key that existed while voting.
    names = {f.name for f in CastBallot._meta.get_fields()}
    assert not names & {"created_at", "cast_at", "member", "participation"}
    assert set(CastBallot.objects.values_list("voter", flat=True)) == {None}
    assert not before & set(CastBallot.objects.values_list("id", flat=True))
    # Participations hold nothing of the choice nor of the receipt.
    assert {f.name for f in Participation._meta.get_fields()} == {"id", "ballot", "member"}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT xmin::text) FROM governance_castballot")
            assert cursor.fetchone()[0] == 1  # all rewritten by the count's one transaction
    # Yet each voter can check their ballot was counted.
    assert all(receipt_counted(ballot=ballot, code=c) for c in codes.values())
    assert {o.label: o.votes for o in ballot.options.all()} == {
        "For": 3,
        "Against": 3,
        "Abstention": 0,
    }


def test_an_open_vote_names_the_voter(camille, sylvie):
    with_shares(camille, sylvie)
    ballot = open_resolution(sylvie, secret=False)
    services.vote_cast(ballot=ballot, choices=[_for(ballot)[0]], acting_user=camille.user)
    assert CastBallot.objects.get().voter == camille
