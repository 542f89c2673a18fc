"""Passes: a monthly desk pass or a pack of hours, bought once from an activity
(``Space expense [A]`` / ``Space income [COOP]``, internal, no sales tax) and
drawn down by the member's bookings on the pass's site.
"""

from __future__ import annotations

import datetime as dt
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
from maille.coworking.services.slots import Slot
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import Activity, Member
from maille.members.selectors import coop_activities, member_of


def member_passes(member: Member, resource: Resource, slots: list[Slot]) -> list[Pass]:
    """The member's passes on the resource's site valid on some day of the slots (one query)."""
    days = [terms.local(slot.start).date() for slot in slots]
    return list(
        Pass.objects.filter(
            member=member,
            site_id=resource.site_id,
            valid_from__lte=max(days),
            valid_until__gte=min(days),
        ).order_by("kind", "valid_until", "id")
    )


def pass_covering(
    passes: list[Pass], resource: Resource, slot: Slot, hours: Decimal, drawn: dict[int, Decimal]
) -> Pass | None:
    """A pass that covers this booking, if any (a desk month first). ``drawn`` holds
    the hours of each pack already read (less what earlier slots of this series take)."""
    day = terms.local(slot.start).date()
    for candidate in passes:
        if not candidate.valid_from <= day <= candidate.valid_until:
            continue
        if candidate.kind == PassKind.MONTHLY_DESK:
            if resource.kind == ResourceKind.DESK:
                return candidate
            continue
        if candidate.pk not in drawn:
            drawn[candidate.pk] = pass_hours_left(candidate)
        if drawn[candidate.pk] >= hours:
            drawn[candidate.pk] -= hours
            return candidate
    return None


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
    """Buy a pass once, charged to the activity (within its available budget)."""
    if member_of(acting_user) != member and not acting_user.is_staff:
        raise PermissionError
    if not activity.owners.filter(pk=member.pk).exists():
        raise ValidationError({"activity": [_("Choose one of the member's activities.")]})
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
