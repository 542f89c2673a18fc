"""Members' bookings: one, or a weekly series (all or none), and cancellations.

Postings (ARCHITECTURE §3): a member's booking is internal to the co-op, with
no sales tax — ``Space expense [A]`` against ``Space income [COOP]`` — and is
refused when the activity's available budget (``budgets.selectors``) does not
cover it; the activity's row is locked first so two bookings on one activity
are checked one after the other. A guest's booking is invoiced by the co-op
(``services.guests``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.selectors import activity_available_budget
from maille.budgets.services import activity_lock
from maille.core.models import User
from maille.core.money import ZERO, format_money, round_half_up
from maille.coworking import terms
from maille.coworking.exceptions import BookingConflict, CoworkingError, SlotTaken
from maille.coworking.models import (
    Booking,
    BookingStatus,
    PassKind,
    Resource,
    ResourceKind,
    Rule,
    Series,
)
from maille.coworking.services.guests import credit_guest_invoice
from maille.coworking.services.loans import item_out, loan_problem
from maille.coworking.services.passes import PassDraw
from maille.coworking.services.slots import (
    Slot,
    insert_bookings,
    lost_race_is_taken,
    overlapping,
    rule_for,
    slot_problems,
    taken_message,
)
from maille.documents.links import new_nonce
from maille.documents.sending import send_after_commit
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many, entry_post
from maille.members.models import Activity, ActivityKind, Member
from maille.members.selectors import coop_activities

MAX_SERIES = 52


def _check_booker(activity: Activity, acting_user: User) -> Member:
    """The member the booking is for: an owner of the activity (staff may book for any)."""
    owners = list(activity.owners.select_related("user"))
    mine = next((m for m in owners if m.user_id == acting_user.pk), None)
    if mine is None and not acting_user.is_staff:
        raise PermissionError
    if activity.kind != ActivityKind.MEMBER or not owners:
        raise ValidationError({"activity_id": [_("Book for an activity of a member.")]})
    if not activity.is_open:
        raise ValidationError({"activity_id": [_("This activity is closed.")]})
    return mine or owners[0]


def _charge_entry(booking: Booking, amount: Decimal, coop: Activity) -> EntrySpec:
    """``Space expense [A]`` / ``Space income [COOP]``: internal, no sales tax."""
    if booking.activity is None:
        raise RuntimeError("only a member's booking is charged to an activity")
    return EntrySpec(
        date=timezone.localdate(),
        description=(
            _("Booking of %(resource)s, %(day)s")
            % {
                "resource": booking.resource.name,
                "day": terms.local(booking.start).strftime("%Y-%m-%d %H:%M"),
            }
        )[:300],
        lines=[
            LineSpec(accounts.SPACE_EXPENSE, booking.activity, amount),
            LineSpec(accounts.SPACE_INCOME, coop, -amount),
        ],
        idempotency_key=f"coworking:booking:{booking.pk}:charge",
        source=booking,
    )


@lost_race_is_taken
@transaction.atomic
def booking_series_create(
    *,
    resource: Resource,
    activity: Activity,
    slots: list[Slot],
    acting_user: User,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> list[Booking]:
    """Book every slot for the activity, or none: each is checked, and all the
    problems are told at once (a taken Tuesday, a holiday…)."""
    if not slots:
        raise CoworkingError(_("Choose at least one time."))
    if len(slots) > MAX_SERIES:
        raise CoworkingError(_("A series has at most %(n)s bookings.") % {"n": MAX_SERIES})
    now = now or timezone.now()
    member = _check_booker(activity, acting_user)
    if not resource.is_active:
        raise CoworkingError(_("%(resource)s cannot be booked.") % {"resource": resource.name})
    activity = activity_lock(activity)  # budget checks of this activity queue here
    out = None
    if resource.kind == ResourceKind.EQUIPMENT:
        # The item's row: a check-out of this item and this booking are decided in turn.
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        out = item_out(resource)
    problems: list[str] = []
    taken = 0
    planned: list[tuple[Slot, Rule, Decimal, Decimal]] = []
    several = len(slots) > 1
    found_terms = terms.terms_of(resource)  # every price and rule, once
    holidays: terms.Holidays = {}
    for slot in slots:
        prefix = f"{terms.local(slot.start):%Y-%m-%d}: " if several and slot.start.tzinfo else ""
        day = terms.local(slot.start).date() if slot.start.tzinfo else slot.start.date()
        rule = rule_for(resource, day, found_terms)
        found = slot_problems(resource, slot, rule=rule, now=now, holidays=holidays)
        price_row = found_terms.price(day)
        if not found and price_row is None:
            found.append(_("%(resource)s has no price yet.") % {"resource": resource.name})
        if not found:
            blocked = slot.end + dt.timedelta(minutes=rule.buffer_minutes)
            if overlapping(resource, slot.start, blocked) or any(
                p.start < blocked and p.end + dt.timedelta(minutes=r.buffer_minutes) > slot.start
                for p, r, _price, _h in planned
            ):
                found.append(taken_message(resource, slot))
                taken += 1
            elif lent := loan_problem(out, slot.start, now):
                found.append(lent)
                taken += 1
        if found or price_row is None:
            problems += [prefix + p for p in found]
            continue
        hours = terms.hours_between(slot.start, slot.end)
        planned.append((slot, rule, terms.price_of(price_row, hours, guest=False), hours))
    if problems:
        # Only taken slots: a conflict (409); any broken rule: bad input (422).
        raise (SlotTaken if taken == len(problems) else CoworkingError)(" ".join(problems))
    series = Series.objects.create(description=resource.name[:200]) if several else None
    bookings: list[Booking] = []
    charges: list[Decimal] = []
    passes = PassDraw.of(member, resource, [slot for slot, *_rest in planned])
    for slot, rule, price, hours in planned:
        used = passes.covering(resource, slot, hours)
        charge = ZERO if used is not None else price
        charges.append(charge)
        bookings.append(
            Booking(
                resource=resource,
                activity=activity,
                member=member,
                booked_by=acting_user,
                start=slot.start,
                end=slot.end,
                blocked_until=slot.end + dt.timedelta(minutes=rule.buffer_minutes),
                price=charge,
                used_pass=used,
                hours_drawn=hours if used is not None and used.kind == PassKind.HOURS else ZERO,
                series=series,
                link_nonce=new_nonce(),
            )
        )
    total = sum(charges, ZERO)
    if total > 0:
        available = activity_available_budget(activity)
        if total > available:
            raise CoworkingError(
                _(
                    "The activity %(activity)s has %(available)s available; this booking "
                    "costs %(price)s."
                )
                % {
                    "activity": activity.code,
                    "available": format_money(available),
                    "price": format_money(total),
                }
            )
    insert_bookings(bookings)
    if total > 0:
        coop = coop_activities()["COOP"]
        # One ledger call for the whole series (no savepoint: this transaction
        # rolls back whole on any error).
        entries_post_many(
            entries=[
                _charge_entry(booking, charge, coop)
                for booking, charge in zip(bookings, charges, strict=True)
                if charge > 0
            ],
            acting_user=acting_user,
            savepoint=False,
        )
    if notify:
        send_after_commit(bookings[0])
    return bookings


def booking_create(
    *,
    resource: Resource,
    activity: Activity,
    start: dt.datetime,
    end: dt.datetime,
    acting_user: User,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Booking:
    """Book one slot for a member's activity (the API's ``POST /coworking/bookings``)."""
    return booking_series_create(
        resource=resource,
        activity=activity,
        slots=[Slot(start, end)],
        acting_user=acting_user,
        now=now,
        notify=notify,
    )[0]


def weekly_slots(*, day: dt.date, start_time: dt.time, end_time: dt.time, weeks: int) -> list[Slot]:
    """The same local hours every week from ``day`` (daylight saving kept in step)."""
    if not 1 <= weeks <= MAX_SERIES:
        raise ValidationError({"weeks": [_("Between 1 and %(n)s weeks.") % {"n": MAX_SERIES}]})
    slots = []
    for week in range(weeks):
        date = day + dt.timedelta(weeks=week)
        slots.append(
            Slot(
                terms.local_instant(date, start_time, field=_("start")),
                terms.local_instant(date, end_time, field=_("end")),
            )
        )
    return slots


def _answers_for(booking: Booking, user: User) -> bool:
    """The member who booked, or any owner of the activity it is charged to."""
    if booking.member is not None and booking.member.user_id == user.pk:
        return True
    return booking.activity is not None and booking.activity.owners.filter(user=user).exists()


def refund_due(booking: Booking, now: dt.datetime, rule: Rule) -> Decimal:
    """The whole price up to the notice; past it, less the late-cancellation charge."""
    notice = dt.timedelta(hours=rule.cancel_notice_hours)
    if booking.start - now >= notice:
        return booking.price
    kept = round_half_up(booking.price * rule.late_cancel_percent / Decimal(100))
    return booking.price - kept


@transaction.atomic
def booking_cancel(
    *, booking: Booking, acting_user: User, now: dt.datetime | None = None
) -> Booking:
    """Cancel a booking: the activity is refunded in the ledger (the whole price
    up to the rule's notice, less the late charge after it); a pack's hours come back.

    A guest's booking (cancelled by staff) follows the same rule: once invoiced,
    a credit note for the refund goes through invoicing; not invoiced yet, only
    what the rule keeps is invoiced later (``guest_booking_invoice``).
    """
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource", "activity", "invoice__client")
        .get(pk=booking.pk)
    )
    if not (acting_user.is_staff or _answers_for(booking, acting_user)):
        raise PermissionError
    if not booking.is_active:
        raise BookingConflict(_("This booking is already cancelled."))
    if booking.start <= now:
        raise BookingConflict(_("This booking has started: it can no longer be cancelled."))
    rule = rule_for(booking.resource, terms.local(booking.start).date())
    refund = refund_due(booking, now, rule)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.refund = refund
    booking.save(update_fields=["status", "cancelled_at", "refund"])
    if booking.is_guest:
        credit_guest_invoice(booking, refund, acting_user)
        return booking
    if refund > 0 and booking.activity is not None:
        coop = coop_activities()["COOP"]
        entry_post(
            date=timezone.localdate(),
            description=(
                _("Cancelled booking of %(resource)s, %(day)s: refund")
                % {
                    "resource": booking.resource.name,
                    "day": terms.local(booking.start).strftime("%Y-%m-%d %H:%M"),
                }
            )[:300],
            lines=[
                LineSpec(accounts.SPACE_INCOME, coop, refund),
                LineSpec(accounts.SPACE_EXPENSE, booking.activity, -refund),
            ],
            idempotency_key=f"coworking:booking:{booking.pk}:refund",
            acting_user=acting_user,
            source=booking,
        )
    return booking
