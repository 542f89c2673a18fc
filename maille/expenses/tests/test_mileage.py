"""Mileage: the dated per-km rate, 5 000 km a year per member across activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from maille.expenses.models import ExpenseClaim
from maille.expenses.services import mileage_claim_create
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def _trip(member, activity, day, km, purpose="Rencontre client"):
    return mileage_claim_create(
        acting_user=member.user,
        activity=activity,
        date=day,
        km=km,
        origin="Montréal",
        destination="Québec",
        purpose=purpose,
        today=dt.date(2026, 12, 31),
    )


def test_the_rate_changes_on_january_first(camille, camille_activity):
    old = _trip(camille, camille_activity, dt.date(2025, 12, 31), "100")
    new = _trip(camille, camille_activity, dt.date(2026, 1, 1), "100")
    assert old.amount == Decimal("72.00")
    assert new.amount == Decimal("73.00")
    # A new year starts a new count: 2025's kilometres do not count in 2026.
    assert new.km_first == Decimal("100")


def test_the_lower_rate_after_5000_km_counted_across_activities(camille, camille_activity):
    second = factories.ActivityFactory(code="CAM2")
    second.owners.add(camille)
    _trip(camille, camille_activity, dt.date(2026, 2, 1), "4900")
    split = _trip(camille, second, dt.date(2026, 3, 1), "300")
    assert (split.km_first, split.km_after) == (Decimal("100"), Decimal("200"))
    # 100 × 0.73 + 200 × 0.67
    assert split.amount == Decimal("207.00")
    after = _trip(camille, camille_activity, dt.date(2026, 4, 1), "10")
    assert after.amount == Decimal("6.70")


def test_another_members_kilometres_do_not_count(
    camille, camille_activity, jerome, jerome_activity
):
    _trip(jerome, jerome_activity, dt.date(2026, 2, 1), "5000")
    mine = _trip(camille, camille_activity, dt.date(2026, 2, 2), "10")
    assert mine.amount == Decimal("7.30")


def test_a_trip_without_purpose_is_refused_and_nothing_written(camille, camille_activity):
    with pytest.raises(ValidationError) as caught:
        _trip(camille, camille_activity, dt.date(2026, 2, 1), "12", purpose="  ")
    assert set(caught.value.message_dict) == {"purpose"}
    assert not ExpenseClaim.objects.exists()


def test_bad_kilometres_are_named(camille, camille_activity):
    for km in ("0", "-5", "abc", "1.25", "99999"):
        with pytest.raises(ValidationError) as caught:
            _trip(camille, camille_activity, dt.date(2026, 2, 1), km)
        assert "km" in caught.value.message_dict, km
