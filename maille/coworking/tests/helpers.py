"""Shared set-up of the coworking tests: a site with a desk, a room and a camera."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.coworking import terms
from maille.coworking.models import Price, Resource, ResourceKind, Rule, Site
from maille.payroll.calendar import statutory_holidays


def site(**kwargs) -> Site:
    defaults = dict(name="Mile End", street="1 rue Bernard", city="Montréal", postal_code="H2T 1A1")
    return Site.objects.create(**(defaults | kwargs))


def resource(
    place: Site,
    kind: str = ResourceKind.ROOM,
    name: str = "Salle Jarry",
    *,
    hour: str = "20.00",
    buffer: int = 0,
    **rule: int | Decimal,
) -> Resource:
    item = Resource.objects.create(site=place, kind=kind, name=name, capacity=8)
    Price.objects.create(
        resource=item,
        valid_from=dt.date(2020, 1, 1),
        member_hour=Decimal(hour),
        member_half_day=Decimal(hour) * 3,
        member_day=Decimal(hour) * 5,
        guest_hour=Decimal(hour) * 2,
        guest_half_day=Decimal(hour) * 6,
        guest_day=Decimal(hour) * 10,
    )
    Rule.objects.create(
        resource=item, valid_from=dt.date(2020, 1, 1), buffer_minutes=buffer, **rule
    )
    return item


def open_day(weekday: int = 1, *, after_days: int = 7) -> dt.date:
    """The first given weekday (Tuesday by default) at least ``after_days`` ahead, not a holiday."""
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while day.weekday() != weekday or day in statutory_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return terms.local_instant(day, dt.time(hour, minute))
