"""Writes for members and activities. Views, API, admin, CLI and tasks call these.

Each service does the whole change in one transaction, names the acting user
in the audit trail, and leaves the database unchanged when it raises.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import set_actor
from maille.core.dates import near_today_problem
from maille.core.models import Language, Role, User
from maille.core.sequences import counter_next
from maille.core.services import EmailTaken, user_create
from maille.members.exceptions import ActivityClosed, MembersError
from maille.members.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Member,
    MemberStatus,
    MemberStatusChange,
)

MEMBER_FIELDS = (
    "phone",
    "street",
    "city",
    "province",
    "postal_code",
    "country",
    "employment_start",
    "sin",
    "bank_account",
)
ACTIVITY_FIELDS = ("name", "description", "start_date", "end_date")


def _highest(prefix: str, model: Any, field: str) -> int:
    last = (
        model.objects.filter(**{f"{field}__regex": rf"^{prefix}[0-9]+$"})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return int(last[len(prefix) :]) if last else 0


def next_member_number(count: int = 1) -> int:
    return counter_next("member", count=count, start=lambda: _highest("M", Member, "number"))


def next_activity_number(count: int = 1) -> int:
    return counter_next("activity", count=count, start=lambda: _highest("A", Activity, "code"))


@transaction.atomic
def member_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    acting_user: User | None,
    language: str = Language.FRENCH,
    password: str | None = None,
    status: str = MemberStatus.APPLICANT,
    applied_on: dt.date | None = None,
    **fields: Any,
) -> Member:
    """Open a person's file: their login and member record, with a first dated status row."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    try:
        user = user_create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=Role.MEMBER,
            language=language,
            password=password,
            acting_user=acting_user,
        )
    except EmailTaken as exc:
        raise MembersError(str(exc)) from exc
    member = Member(user=user, number=f"M{next_member_number():06d}", status=status, **fields)
    set_actor(member, acting_user)
    member.save()
    MemberStatusChange.objects.create(
        member=member,
        status=status,
        effective_date=applied_on or timezone.localdate(),
        reason=_("Admission file opened"),
        changed_by=acting_user,
    )
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    acting_user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    language: str | None = None,
    **fields: Any,
) -> Member:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    user = member.user
    user_changed = False
    for name, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("language", language),
    ):
        if value is not None and getattr(user, name) != value:
            setattr(user, name, value)
            user_changed = True
    if user_changed:
        set_actor(user, acting_user)
        user.save()
    changed = [name for name, value in fields.items() if getattr(member, name) != value]
    for name in changed:
        setattr(member, name, fields[name])
    if changed:
        set_actor(member, acting_user)
        member.save()
    if "bank_account" in changed and not acting_user.is_staff:
        member_id = member.pk
        transaction.on_commit(lambda: _tell_staff_of_bank_change(member_id))
    return member


def _tell_staff_of_bank_change(member_id: int) -> None:
    """Staff hear of every bank account a member changes (a diverted pay is the
    classic payroll fraud); the audit trail shows when and who, never the number."""
    from django.core.mail import send_mail

    member = Member.objects.select_related("user").get(pk=member_id)
    staff = list(
        User.objects.filter(role__in=[Role.STAFF, Role.ADMIN], is_active=True).values_list(
            "email", flat=True
        )
    )
    if not staff:
        return
    send_mail(
        subject=_("Bank account changed: %(member)s") % {"member": member},
        message=_(
            "%(member)s changed the bank account for their pay deposits (now ending in "
            "%(last)s). Check the change with the member before the next pay run."
        )
        % {"member": member, "last": member.bank_account[-4:]},
        from_email=None,
        recipient_list=staff,
    )


@transaction.atomic
def member_set_status(
    *,
    member: Member,
    status: str,
    effective_date: dt.date,
    reason: str,
    acting_user: User,
) -> MemberStatusChange:
    """Change a member's status, keeping the dated history (admission, suspension…)."""
    if status not in MemberStatus.values:
        raise MembersError(_("Unknown status."))
    # Lock first, then compare: a double submit cannot write the change twice.
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    if status == member.status:
        raise MembersError(_("The member already has this status."))
    member.status = status
    set_actor(member, acting_user)
    member.save(update_fields=["status"])
    # A withdrawn member cannot log in any more; their records stay (6 years).
    if member.user.is_active != (status != MemberStatus.WITHDRAWN):
        member.user.is_active = status != MemberStatus.WITHDRAWN
        set_actor(member.user, acting_user)
        member.user.save(update_fields=["is_active"])
    return MemberStatusChange.objects.create(
        member=member,
        status=status,
        effective_date=effective_date,
        reason=reason,
        changed_by=acting_user,
    )


def _check_owners(kind: str, owners: list[Member]) -> None:
    if kind != ActivityKind.MEMBER:
        if owners:
            raise MembersError(_("The co-op's own activities have no owner member."))
        return
    if not owners:
        raise MembersError(_("An activity needs at least one owner member."))
    inactive = [m for m in owners if m.status in (MemberStatus.WITHDRAWN, MemberStatus.SUSPENDED)]
    if inactive:
        raise MembersError(
            _("These members cannot own an activity: %(names)s")
            % {"names": ", ".join(m.full_name for m in inactive)}
        )


def _check_dates(activity: Activity) -> None:
    """An activity's dates stay near today (a typing slip: 0001-01-01), end after start."""
    for value in (activity.start_date, activity.end_date):
        far = near_today_problem(value)
        if far:
            raise MembersError(far)
    if activity.end_date and activity.end_date < activity.start_date:
        raise MembersError(_("The end date is before the start date."))


@transaction.atomic
def activity_create(
    *,
    name: str,
    owners: list[Member],
    acting_user: User | None,
    start_date: dt.date | None = None,
    description: str = "",
    end_date: dt.date | None = None,
    kind: str = ActivityKind.MEMBER,
    code: str | None = None,
) -> Activity:
    _check_owners(kind, owners)
    activity = Activity(
        code=code or f"A{next_activity_number():06d}",
        name=name,
        kind=kind,
        description=description,
        start_date=start_date or timezone.localdate(),
        end_date=end_date,
    )
    _check_dates(activity)
    set_actor(activity, acting_user)
    activity.save()
    activity.owners.set(owners)
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, acting_user: User, owners: list[Member] | None = None, **fields: Any
) -> Activity:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    if not activity.is_open:
        raise ActivityClosed(_("This activity is closed; it can no longer change."))
    for name, value in fields.items():
        setattr(activity, name, value)
    _check_dates(activity)
    set_actor(activity, acting_user)
    activity.save()
    if owners is not None:
        _check_owners(activity.kind, owners)
        activity.owners.set(owners)
    return activity


@transaction.atomic
def activity_close(*, activity: Activity, acting_user: User, end_date: dt.date) -> Activity:
    if activity.kind != ActivityKind.MEMBER:
        raise MembersError(_("The co-op's own activities cannot be closed."))
    if not activity.is_open:
        raise ActivityClosed(_("This activity is already closed."))
    activity.status = ActivityStatus.CLOSED
    activity.end_date = end_date
    _check_dates(activity)
    set_actor(activity, acting_user)
    activity.save()
    return activity
