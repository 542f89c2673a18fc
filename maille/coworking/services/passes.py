"""Passes: a monthly desk pass or a pack of hours, bought once from an activity
(``Space expense [A]`` / ``Space income [COOP]``, internal, no sales tax) and
drawn down by the member's bookings on the pass's site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.selectors import activity_available_budget
from maille.budgets.services import activity_lock
from maille.core.models import User
from maille.core.money import ZERO, format_money
from maille.coworking import terms
from maille.coworking.exceptions import CoworkingError
from maille.coworking.models import (
    BookingStatus,
    Pass,
    PassKind,
    PassPrice,
    Resource,
    ResourceKind,
)
from maille.coworking.selectors import pass_offers
from maille.coworking.services.slots import Slot
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import Activity, Member
from maille.members.selectors import coop_activities, member_of


@dataclass
class PassDraw:
    """What the slots of one booking (or series) take from the member's passes.

    A desk month covers desks before a pack of hours is touched: the pack's
    hours stay for rooms and equipment, which the month does not cover. A desk
    month covers one desk at a time: a second desk booked over a time the month
    already holds is not covered by it (a pack may cover it, or it is charged
    normally): the pass is a seat, not every seat.
    A pack covers a booking only when enough of its hours are left; ``hours_left``
    holds each pack's hours as first read, less what earlier slots take.
    """

    passes: list[Pass]
    hours_left: dict[int, Decimal] = field(default_factory=dict)
    held: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)

    @classmethod
    def of(cls, member: Member, resource: Resource, slots: list[Slot]) -> PassDraw:
        """The member's passes on the resource's site valid on some day of the slots.

        Locked: two bookings of one member on two activities (two budget locks)
        draw on one pass one after the other."""
        days = [terms.local(slot.start).date() for slot in slots]
        found = Pass.objects.select_for_update().filter(
            member=member,
            site_id=resource.site_id,
            valid_from__lte=max(days),
            valid_until__gte=min(days),
        )
        return cls(
            sorted(found, key=lambda p: (p.kind != PassKind.MONTHLY_DESK, p.valid_until, p.pk))
        )

    def covering(self, resource: Resource, slot: Slot, hours: Decimal) -> Pass | None:
        """The pass that covers this slot, if any; what it takes is counted."""
        day = terms.local(slot.start).date()
        for candidate in self.passes:
            if not candidate.valid_from <= day <= candidate.valid_until:
                continue
            if candidate.kind == PassKind.MONTHLY_DESK:
                if resource.kind != ResourceKind.DESK or self._desk_held(candidate, slot):
                    continue
                self.held[candidate.pk].append((slot.start, slot.end))
                return candidate
            if candidate.pk not in self.hours_left:
                self.hours_left[candidate.pk] = pass_hours_left(candidate)
            if self.hours_left[candidate.pk] >= hours:
                self.hours_left[candidate.pk] -= hours
                return candidate
        return None

    def _desk_held(self, month: Pass, slot: Slot) -> bool:
        if month.pk not in self.held:
            # A month's own bookings: a few dozen at most.
            self.held[month.pk] = list(
                month.bookings.filter(status=BookingStatus.ACTIVE).values_list("start", "end")
            )
        return any(start < slot.end and end > slot.start for start, end in self.held[month.pk])


def pass_hours_left(candidate: Pass) -> Decimal:
    if candidate.kind != PassKind.HOURS or candidate.hours is None:
        return ZERO
    drawn = candidate.bookings.filter(status=BookingStatus.ACTIVE).aggregate(
        total=Sum("hours_drawn")
    )["total"]
    return candidate.hours - Decimal(drawn or 0)


@transaction.atomic
def pass_buy(
    *,
    member: Member,
    activity: Activity,
    offer: PassPrice,
    valid_from: dt.date,
    acting_user: User,
) -> Pass:
    """Buy a pass once, charged to the activity (within its available budget), at
    the offer in force today for its site and kind (a replaced offer is not sold)."""
    if member_of(acting_user) != member and not acting_user.is_staff:
        raise PermissionError
    if not activity.owners.filter(pk=member.pk).exists():
        raise ValidationError({"activity": [_("Choose one of the member's activities.")]})
    if not pass_offers(timezone.localdate()).filter(pk=offer.pk).exists():
        raise ValidationError(
            {"offer": [_("This offer is not in force today: choose one of the offers listed.")]}
        )
    if offer.valid_from > valid_from:
        raise ValidationError({"valid_from": [_("This offer is not in force yet on that day.")]})
    activity = activity_lock(activity)
    available = activity_available_budget(activity)
    if offer.price > available:
        raise CoworkingError(
            _("The activity %(activity)s has %(available)s available; this pass costs %(price)s.")
            % {
                "activity": activity.code,
                "available": format_money(available),
                "price": format_money(offer.price),
            }
        )
    if offer.kind == PassKind.MONTHLY_DESK:
        until = (valid_from.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        until = until.replace(day=min(valid_from.day, 28)) - dt.timedelta(days=1)
        if until < valid_from:
            until = valid_from + dt.timedelta(days=29)
    else:
        until = valid_from + dt.timedelta(days=365)
    bought = Pass.objects.create(
        member=member,
        activity=activity,
        site=offer.site,
        kind=offer.kind,
        hours=offer.hours,
        valid_from=valid_from,
        valid_until=until,
        price=offer.price,
    )
    if offer.price > 0:
        coop = coop_activities()["COOP"]
        entry_post(
            date=timezone.localdate(),
            description=(
                _("%(pass)s, %(site)s")
                % {"pass": bought.get_kind_display(), "site": offer.site.name}
            )[:300],
            lines=[
                LineSpec(accounts.SPACE_EXPENSE, activity, offer.price),
                LineSpec(accounts.SPACE_INCOME, coop, -offer.price),
            ],
            idempotency_key=f"coworking:pass:{bought.pk}",
            acting_user=acting_user,
            source=bought,
        )
    return bought
