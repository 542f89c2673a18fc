"""Reads for members and activities, always scoped to the person asking.

A member sees only their own file and activities; staff and admins see all
(ARCHITECTURE §1). Views fetch through these and answer 404 for anything
else, so the existence of another member's object is not revealed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maille.core.models import User
from maille.members.models import (
    COOP_ACTIVITY_CODE,
    FUND_ACTIVITY_CODE,
    Activity,
    Directorship,
    Member,
)


def member_list(*, user: User, search: str = "", status: str = "") -> QuerySet[Member]:
    qs = Member.objects.select_related("user")
    if not user.is_staff:
        qs = qs.filter(user=user) if user.is_member else qs.none()
    if search:
        qs = qs.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(number__iexact=search)
        )
    if status:
        qs = qs.filter(status=status)
    return qs


def member_get(*, user: User, pk: int) -> Member:
    return get_object_or_404(member_list(user=user), pk=pk)


def member_of(user: User) -> Member | None:
    if not user.is_authenticated or not user.is_member:
        return None
    return Member.objects.select_related("user").filter(user=user).first()


def member_or_404(user: User) -> Member:
    """The user's member, for the pages and endpoints only a member has; anyone else a 404."""
    member = member_of(user)
    if member is None:
        raise Http404
    return member


def activity_list(
    *, user: User, search: str = "", status: str = "", member_id: int | None = None
) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if not user.is_staff:
        qs = qs.filter(owners__user=user) if user.is_member else qs.none()
    if member_id:
        qs = qs.filter(owners__id=member_id)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__iexact=search))
    if status:
        qs = qs.filter(status=status)
    return qs.distinct().prefetch_related("owners__user")


def activity_get(*, user: User, pk: int) -> Activity:
    return get_object_or_404(activity_list(user=user), pk=pk)


def coop_activities() -> dict[str, Activity]:
    """The co-op's own activities, ``COOP`` and ``FONDS``, by code (one query)."""
    return {
        a.code: a
        for a in Activity.objects.filter(code__in=[COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE])
    }


def directors(on: dt.date | None = None) -> QuerySet[Member]:
    """The board on ``on`` (today by default): members with a seat that day."""
    day = on or timezone.localdate()
    seats = Directorship.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    return Member.objects.filter(pk__in=seats.values("member_id")).select_related("user")


def is_director(user: User, on: dt.date | None = None) -> bool:
    """True when ``user`` is a member sitting on the board on ``on``."""
    if not user.is_authenticated or not user.is_member:
        return False
    return directors(on).filter(user=user).exists()
