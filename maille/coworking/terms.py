"""The terms of a booking: local times, the price and rule in force, opening hours.

Times are instants (aware datetimes); what a person types on a page is a
local wall-clock time in America/Montreal, turned into an instant here. A
wall time in the spring daylight-saving gap (2:00–2:59 on the second Sunday
of March) names no instant and is refused; one in the autumn's repeated hour
is taken at its first occurrence (daylight time). Durations are real elapsed
time: 1:00–4:00 on the spring-forward night is two hours.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from maille.core.money import round_half_up
from maille.coworking.exceptions import CoworkingError
from maille.coworking.models import Price, Resource, Rule, Site
from maille.payroll.calendar import statutory_holidays

HALF_DAY_HOURS = Decimal(4)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_instant(day: dt.date, time: dt.time, *, field: str = "start") -> dt.datetime:
    """The instant of a local wall time; ``CoworkingError`` in the daylight-saving gap."""
    tz = zone()
    naive = dt.datetime.combine(day, time)
    aware = naive.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(dt.UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:
        raise CoworkingError(
            _(
                "%(field)s: %(time)s does not exist on %(day)s in Montréal (the clocks "
                "jump from 2:00 to 3:00 for daylight saving time). Choose another time."
            )
            % {"field": field, "time": time.strftime("%H:%M"), "day": day.isoformat()}
        )
    # In UTC: Python subtracts and compares two datetimes of one zone by their
    # wall times, which is wrong across a daylight-saving change.
    return aware.astimezone(dt.UTC)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(zone())


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Real elapsed hours (instants, so a daylight-saving night counts right)."""
    seconds = int((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds())
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def in_force[T: (Price, Rule)](rows: list[T], day: dt.date) -> T | None:
    """The row valid on ``day`` among rows of one resource (any order)."""
    valid = [r for r in rows if r.valid_from <= day]
    return max(valid, key=lambda r: r.valid_from) if valid else None


@dataclass(frozen=True, slots=True)
class Terms:
    """Every dated price and rule of one resource, read in one query each; the
    row in force on a day is picked in memory (a series of 8 weeks reads them once)."""

    prices: list[Price]
    rules: list[Rule]

    def price(self, day: dt.date) -> Price | None:
        return in_force(self.prices, day)

    def rule(self, day: dt.date) -> Rule | None:
        return in_force(self.rules, day)


def terms_of(resource: Resource) -> Terms:
    return Terms(
        list(Price.objects.filter(resource=resource)), list(Rule.objects.filter(resource=resource))
    )


def rules_in_force(resources: list[Resource], day: dt.date) -> dict[int, Rule]:
    """The rule in force on ``day`` of each resource that has one, in one query."""
    rows: dict[int, list[Rule]] = {}
    for rule in Rule.objects.filter(resource__in=resources, valid_from__lte=day):
        rows.setdefault(rule.resource_id, []).append(rule)
    return {pk: found for pk, rules in rows.items() if (found := in_force(rules, day)) is not None}


def buffer_of(rule: Rule | None) -> dt.timedelta:
    """The time a booking keeps the resource after its end (none without a rule)."""
    return dt.timedelta(minutes=rule.buffer_minutes if rule is not None else 0)


def price_in_force(resource: Resource, day: dt.date) -> Price | None:
    return (
        Price.objects.filter(resource=resource, valid_from__lte=day).order_by("-valid_from").first()
    )


def rule_in_force(resource: Resource, day: dt.date) -> Rule | None:
    return (
        Rule.objects.filter(resource=resource, valid_from__lte=day).order_by("-valid_from").first()
    )


def price_of(price: Price, hours: Decimal, *, guest: bool) -> Decimal:
    """Before tax: the cheapest of hours, half days (up to 4 h each) and a day."""
    hour, half, day = (
        (price.guest_hour, price.guest_half_day, price.guest_day)
        if guest
        else (price.member_hour, price.member_half_day, price.member_day)
    )
    by_hour = hour * hours
    by_half = half * math.ceil(hours / HALF_DAY_HOURS)
    return round_half_up(min(by_hour, by_half, day))


#: Statutory holidays by year, read once per page or booking (each read is a query).
Holidays = dict[int, frozenset[dt.date]]


def is_holiday(day: dt.date, holidays: Holidays | None = None) -> bool:
    """A Québec statutory holiday; ``holidays`` keeps the years already read."""
    if holidays is None:
        return day in statutory_holidays(day.year)
    if day.year not in holidays:
        holidays[day.year] = statutory_holidays(day.year)
    return day in holidays[day.year]


def is_open_day(site: Site, day: dt.date, holidays: Holidays | None = None) -> bool:
    if str(day.weekday()) not in site.open_days:
        return False
    return not (site.closed_on_holidays and is_holiday(day, holidays))


def opening_window(
    site: Site, day: dt.date, holidays: Holidays | None = None
) -> tuple[dt.datetime, dt.datetime] | None:
    """The instants the site opens and closes on ``day``, or None when closed."""
    if not is_open_day(site, day, holidays):
        return None
    return local_instant(day, site.opens_at), local_instant(day, site.closes_at, field="end")


def opening_problems(
    site: Site, start: dt.datetime, end: dt.datetime, holidays: Holidays | None = None
) -> list[str]:
    """Why the site is not open for the whole of ``[start, end)``."""
    holidays = {} if holidays is None else holidays
    first, last = local(start), local(end)
    day = first.date()
    if last.date() != day and not (
        last.date() == day + dt.timedelta(days=1) and last.time() == dt.time(0)
    ):
        return [_("A booking starts and ends on the same day.")]
    if site.closed_on_holidays and is_holiday(day, holidays):
        return [
            _("%(site)s is closed on %(day)s (a statutory holiday in Québec).")
            % {"site": site.name, "day": day.isoformat()}
        ]
    if str(day.weekday()) not in site.open_days:
        return [_("%(site)s is closed that day of the week.") % {"site": site.name}]
    window = opening_window(site, day, holidays)
    if window is None or start < window[0] or end > window[1]:
        return [
            _("%(site)s is open from %(opens)s to %(closes)s.")
            % {
                "site": site.name,
                "opens": site.opens_at.strftime("%H:%M"),
                "closes": site.closes_at.strftime("%H:%M"),
            }
        ]
    return []
