"""What every booking shares: a slot, the rules that refuse it, the overlap check
and the insert that turns a lost race into "the slot was just taken".

No double booking: the slot is checked inside the write transaction (on
SQLite, whose write transactions run one at a time, that check is the guard);
on PostgreSQL the exclusion constraint of migration ``0002`` refuses a
booking that a simultaneous transaction committed first, and that refusal is
answered as "the slot was just taken" (409), never as a server error. On
SQLite a writer that waited past the busy timeout ("database is locked") lost
the same race, and gets the same answer (``lost_race_is_taken``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError
from django.utils.translation import gettext as _

from maille.core.db import is_lock_conflict
from maille.coworking import terms
from maille.coworking.exceptions import SlotTaken
from maille.coworking.models import Booking, BookingStatus, Resource, Rule

EXCLUSION_VIOLATION = "23P01"


@dataclass(frozen=True, slots=True)
class Slot:
    start: dt.datetime
    end: dt.datetime


def taken_message(resource: Resource, slot: Slot) -> str:
    start = terms.local(slot.start)
    return _("%(resource)s is already booked on %(day)s around %(time)s: choose another time.") % {
        "resource": resource.name,
        "day": start.date().isoformat(),
        "time": start.strftime("%H:%M"),
    }


def just_taken(resource: Resource) -> SlotTaken:
    return SlotTaken(
        _("%(resource)s was just booked by someone else for this time: choose another time.")
        % {"resource": resource.name}
    )


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == EXCLUSION_VIOLATION


def overlapping(resource: Resource, start: dt.datetime, blocked_until: dt.datetime) -> bool:
    """An active booking of ``resource`` blocks part of ``[start, blocked_until)``.

    Both sides count their buffer: a booking blocks ``[its start, its end + buffer)``.
    """
    return Booking.objects.filter(
        resource=resource,
        status=BookingStatus.ACTIVE,
        start__lt=blocked_until,
        blocked_until__gt=start,
    ).exists()


def rule_for(resource: Resource, day: dt.date, found: terms.Terms | None = None) -> Rule:
    rule = found.rule(day) if found is not None else terms.rule_in_force(resource, day)
    return rule if rule is not None else Rule(resource=resource, valid_from=day)


def slot_problems(
    resource: Resource,
    slot: Slot,
    *,
    rule: Rule,
    now: dt.datetime,
    holidays: terms.Holidays | None = None,
) -> list[str]:
    """Every reason the rules refuse this slot (before looking at other bookings)."""
    start, end = slot.start, slot.end
    if start.tzinfo is None or end.tzinfo is None:
        return [
            _(
                "Give the times with their offset from UTC "
                "(ISO 8601, e.g. 2027-01-12T09:00:00-05:00)."
            )
        ]
    if end <= start:
        return [_("The end must be after the start.")]
    problems: list[str] = []
    if start < now:
        problems.append(_("This time is in the past."))
    minutes = (end - start).total_seconds() / 60
    if minutes < rule.min_minutes:
        problems.append(
            _("A booking of %(resource)s lasts at least %(n)s minutes.")
            % {"resource": resource.name, "n": rule.min_minutes}
        )
    if minutes > rule.max_minutes:
        problems.append(
            _("A booking of %(resource)s lasts at most %(n)s minutes.")
            % {"resource": resource.name, "n": rule.max_minutes}
        )
    if terms.local(start).date() > terms.local(now).date() + dt.timedelta(days=rule.max_days_ahead):
        problems.append(
            _("%(resource)s can be booked at most %(n)s days ahead.")
            % {"resource": resource.name, "n": rule.max_days_ahead}
        )
    problems += terms.opening_problems(resource.site, start, end, holidays)
    return problems


def insert_bookings(bookings: list[Booking]) -> list[Booking]:
    """Insert the bookings in one statement; a simultaneous booking that won the
    slot (the exclusion constraint) is a ``SlotTaken``. No savepoint: the caller's
    transaction rolls back whole on any error."""
    try:
        return Booking.objects.bulk_create(bookings)
    except IntegrityError as exc:
        if _is_exclusion_violation(exc):
            raise just_taken(bookings[0].resource) from exc
        raise


def lost_race_is_taken[**P, R](write: Callable[P, R]) -> Callable[P, R]:
    """Around a booking's transaction (outside it: SQLite refuses at ``BEGIN``): a
    lock the database could not take — SQLite's "database is locked" after its
    busy timeout, a PostgreSQL deadlock — is another booking winning the race,
    told as "the slot was just taken" (409) rather than a server error."""

    @functools.wraps(write)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return write(*args, **kwargs)
        except OperationalError as exc:
            resource = kwargs.get("resource")
            if isinstance(resource, Resource) and is_lock_conflict(exc):
                raise just_taken(resource) from exc
            raise

    return wrapper
