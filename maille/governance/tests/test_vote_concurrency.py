"""One member, one vote with 32 submissions at once (PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from maille.governance import services
from maille.governance.exceptions import AlreadyVoted
from maille.governance.models import CastBallot, Participation
from maille.governance.tests.helpers import open_resolution, with_shares
from maille.tests_support import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 32


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        except Exception as exc:  # the test inspects what each thread got
            return exc
        finally:
            connections.close_all()

    return run


def test_32_concurrent_votes_of_one_member_count_once(camille, sylvie):
    with_shares(camille, sylvie)
    ballot = open_resolution(sylvie)
    yes = ballot.options.first().pk
    start = threading.Barrier(THREADS)

    @_in_thread
    def vote(_n):
        start.wait()
        return services.vote_cast(ballot=ballot, choices=[yes], acting_user=camille.user)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(vote, range(THREADS)))
    receipts = [g for g in got if isinstance(g, str)]
    refused = [g for g in got if isinstance(g, AlreadyVoted)]
    assert len(receipts) == 1 and len(refused) == THREADS - 1, got
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert CastBallot.objects.filter(ballot=ballot).count() == 1


def test_32_members_voting_at_once_are_all_counted(sylvie):
    voters = [with_shares(factories.MemberFactory(), sylvie) for _ in range(THREADS)]
    ballot = open_resolution(sylvie)
    yes = ballot.options.first().pk
    start = threading.Barrier(THREADS)

    @_in_thread
    def vote(member):
        start.wait()
        return services.vote_cast(ballot=ballot, choices=[yes], acting_user=member.user)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(vote, voters))
    assert all(isinstance(g, str) for g in got), got
    assert Participation.objects.filter(ballot=ballot).count() == THREADS
    assert CastBallot.objects.filter(ballot=ballot).count() == THREADS
