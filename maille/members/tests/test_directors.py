"""The board on a given day: the members an admin marked as directors."""

import datetime as dt

import pytest

from maille.members.models import Directorship
from maille.members.selectors import directors, is_director

pytestmark = pytest.mark.django_db


def test_the_board_is_the_members_with_a_seat_that_day(camille, jerome, sylvie):
    Directorship.objects.create(
        member=camille, started_on=dt.date(2025, 6, 1), ended_on=dt.date(2026, 5, 31)
    )
    assert list(directors(dt.date(2026, 5, 31))) == [camille]
    assert list(directors(dt.date(2026, 6, 1))) == []
    assert list(directors(dt.date(2025, 5, 31))) == []
    assert is_director(camille.user, dt.date(2026, 1, 1))
    assert not is_director(camille.user, dt.date(2026, 7, 1))
    assert not is_director(sylvie, dt.date(2026, 1, 1))
