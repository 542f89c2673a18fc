"""Equipment loans: staff check an item out to a member and back in, noting its
condition; overdue items are reminded once a day.

Loans and bookings of an item exclude each other: an item out on loan cannot
be booked over the loan (nor at all while overdue), and an item booked by
someone else cannot be lent over their booking. Both sides lock the item's
row first, so a check-out and a booking of one item are decided in turn.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.coworking import terms
from maille.coworking.exceptions import BookingConflict
from maille.coworking.models import Booking, BookingStatus, Loan, Resource, ResourceKind
from maille.members.models import Member


def item_out(resource: Resource) -> Loan | None:
    """The loan an equipment item is out on, if any (one at most: a constraint says so)."""
    if resource.kind != ResourceKind.EQUIPMENT:
        return None
    return Loan.objects.filter(resource=resource, checked_in_at__isnull=True).first()


def loan_problem(loan: Loan | None, start: dt.datetime, now: dt.datetime) -> str:
    """Why an item out on ``loan`` cannot be booked from ``start`` ("" when it can):
    it is due back after the start, or it is overdue (not back, so not promised)."""
    if loan is None:
        return ""
    if loan.due_at <= now:
        return _(
            "%(resource)s is out on loan and overdue: it can be booked again once it is back."
        ) % {"resource": loan.resource.name}
    if loan.due_at > start:
        return _("%(resource)s is out on loan until %(due)s: choose a later time.") % {
            "resource": loan.resource.name,
            "due": terms.local(loan.due_at).strftime("%Y-%m-%d %H:%M"),
        }
    return ""


@transaction.atomic
def loan_check_out(
    *,
    resource: Resource,
    member: Member,
    due_at: dt.datetime,
    condition: str,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Loan:
    """Staff hand an equipment item to a member, noting its condition.

    Refused when someone else (another member, a guest) holds an active booking
    of the item between now and the return: the item would not be there for
    them. Lent while the member's own booking of it runs (or is to come before
    the return), the loan names that booking.
    """
    if not acting_user.is_staff:
        raise PermissionError
    now = now or timezone.now()
    if resource.kind != ResourceKind.EQUIPMENT:
        raise ValidationError({"resource": [_("Only equipment is lent.")]})
    if due_at <= now:
        raise ValidationError({"due_at": [_("The return is due after now.")]})
    # The item's row: check-outs and equipment bookings of this item queue here.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    if Loan.objects.filter(resource=resource, checked_in_at__isnull=True).exists():
        raise BookingConflict(
            _("%(resource)s is already out: check it in first.") % {"resource": resource.name}
        )
    during = Booking.objects.filter(
        resource=resource, status=BookingStatus.ACTIVE, start__lt=due_at, end__gt=now
    ).order_by("start")
    others = during.exclude(member=member).first()
    if others is not None:
        raise BookingConflict(
            _(
                "%(resource)s is booked by someone else from %(time)s: set the return "
                "before then, or lend another item."
            )
            % {
                "resource": resource.name,
                "time": terms.local(others.start).strftime("%Y-%m-%d %H:%M"),
            }
        )
    loan = Loan.objects.create(
        resource=resource,
        member=member,
        booking=during.filter(member=member).first(),
        checked_out_at=now,
        due_at=due_at,
        condition_out=condition.strip()[:300],
        checked_out_by=acting_user,
    )
    return loan


@transaction.atomic
def loan_check_in(
    *, loan: Loan, condition: str, acting_user: User, now: dt.datetime | None = None
) -> Loan:
    """Staff take an item back, noting its condition (it becomes the item's condition)."""
    if not acting_user.is_staff:
        raise PermissionError
    loan = Loan.objects.select_for_update().select_related("resource").get(pk=loan.pk)
    if loan.checked_in_at is not None:
        raise BookingConflict(_("This item was already checked in."))
    if not condition.strip():
        raise ValidationError({"condition": [_("Note the item's condition.")]})
    loan.checked_in_at = now or timezone.now()
    loan.condition_in = condition.strip()[:300]
    loan.checked_in_by = acting_user
    loan.save(update_fields=["checked_in_at", "condition_in", "checked_in_by"])
    Resource.objects.filter(pk=loan.resource_id).update(condition=loan.condition_in)
    return loan


def overdue_loans(now: dt.datetime) -> Q:
    return Q(checked_in_at__isnull=True, due_at__lt=now)


def loans_remind_overdue(*, today: dt.date | None = None) -> int:
    """Email each member whose item is overdue, once a day; returns how many."""
    from maille.coworking.mail import send_overdue_reminder

    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    due = Loan.objects.filter(overdue_loans(now)).filter(
        Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)
    )
    for loan in due.select_related("member__user", "resource"):
        # Claim the day first: a second run (or a second worker) skips it.
        claimed = (
            Loan.objects.filter(pk=loan.pk)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
            .update(reminded_on=today)
        )
        if claimed:
            send_overdue_reminder(loan)
            sent += 1
    return sent
