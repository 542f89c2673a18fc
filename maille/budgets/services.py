"""Reservations on an activity's budget: taken by a request, released when paid.

These run inside the caller's transaction (a salary request, a pay run): the
reservation and the request it belongs to commit together or not at all.
The caller locks the activity row first (``reservation_take`` does), so two
requests on one activity are checked one after the other.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maille.budgets.models import BudgetReservation
from maille.members.models import Activity


def activity_lock(activity: Activity) -> Activity:
    """Hold the activity's row until commit: budget checks on it queue here."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def reservation_take(
    *, activity: Activity, amount: Decimal, key: str, description: str = ""
) -> BudgetReservation:
    """Reserve ``amount`` under ``key`` (replacing a live reservation of that key)."""
    reservations_release(keys=[key])
    return BudgetReservation.objects.create(
        activity=activity, amount=amount, key=key, description=description[:200]
    )


def reservations_release(*, keys: list[str]) -> int:
    """Release the live reservations of these keys; returns how many."""
    return BudgetReservation.objects.filter(key__in=keys, released_at__isnull=True).update(
        released_at=timezone.now()
    )
