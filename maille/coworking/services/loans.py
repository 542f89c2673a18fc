"""Equipment loans: staff check an item out to a member and back in, noting its
condition; overdue items are reminded once a day.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.coworking.exceptions import BookingConflict
from maille.coworking.models import Loan, Resource, ResourceKind
from maille.members.models import Member


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
    """Staff hand an equipment item to a member, noting its condition."""
    if not acting_user.is_staff:
        raise PermissionError
    now = now or timezone.now()
    if resource.kind != ResourceKind.EQUIPMENT:
        raise ValidationError({"resource": [_("Only equipment is lent.")]})
    if due_at <= now:
        raise ValidationError({"due_at": [_("The return is due after now.")]})
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    if Loan.objects.filter(resource=resource, checked_in_at__isnull=True).exists():
        raise BookingConflict(
            _("%(resource)s is already out: check it in first.") % {"resource": resource.name}
        )
    loan = Loan.objects.create(
        resource=resource,
        member=member,
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
