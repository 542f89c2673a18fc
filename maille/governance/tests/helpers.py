"""Test helpers: admitted members with shares, a board, ballots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.core.models import User
from maille.governance import services
from maille.governance.models import Ballot, BallotKind, MemberCategory, Membership
from maille.members.models import Activity, ActivityKind, Directorship, Member

ADMITTED = dt.date(2025, 1, 15)


def coop_activity() -> Activity:
    Activity.objects.get_or_create(
        code="COOP", defaults={"name": "Coop", "kind": ActivityKind.COOP, "start_date": ADMITTED}
    )
    return Activity.objects.get(code="COOP")


def admitted(
    member: Member, *, on: dt.date = ADMITTED, category: str = MemberCategory.WORKER
) -> Member:
    Membership.objects.get_or_create(
        member=member, defaults={"category": category, "admitted_on": on}
    )
    return member


def with_shares(
    member: Member,
    staff: User,
    *,
    shares: int = 20,
    paid: Decimal | None = None,
    on: dt.date = ADMITTED,
) -> Member:
    """Admitted, ``shares`` subscribed on ``on`` and ``paid`` (all by default) that day."""
    coop_activity()
    admitted(member, on=on)
    movement = services.shares_subscribe(member=member, shares=shares, date=on, acting_user=staff)
    amount = movement.amount if paid is None else paid
    if amount:
        services.shares_pay(
            member=member, amount=amount, date=on, method="transfer", acting_user=staff
        )
    return member


def board(*members: Member, since: dt.date = dt.date(2024, 1, 1)) -> list[Member]:
    for m in members:
        Directorship.objects.create(member=m, started_on=since)
    return list(members)


def open_resolution(
    staff: User, *, secret: bool = True, majority: str = "simple", hours: int = 2
) -> Ballot:
    now = timezone.now()
    return services.ballot_create(
        question="Adopter le rapport annuel?",
        kind=BallotKind.RESOLUTION,
        record_date=timezone.localdate() - dt.timedelta(days=1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=hours),
        acting_user=staff,
        majority=majority,
        secret=secret,
    )


def held_meeting(
    staff: User, director: Member, *present: Member, day: dt.date = dt.date(2026, 5, 20)
):  # type: ignore[no-untyped-def]
    """An annual meeting called by the board (``director`` on it), held with
    ``director`` and ``present`` attending."""
    from maille.governance.models import DecisionKind

    meeting = services.meeting_create(
        kind="annual",
        starts_at=dt.datetime(day.year, day.month, day.day, 18, tzinfo=dt.UTC),
        agenda="1. États financiers\n2. Ristournes",
        place="Salle commune",
        fiscal_year_end=dt.date(day.year - 1, 12, 31),
        acting_user=staff,
    )
    decision = services.board_decision_record(
        date=day - dt.timedelta(days=30),
        kind=DecisionKind.MEETING,
        text="Convocation de l'AGA",
        directors_present=[director],
        acting_user=staff,
    )
    meeting = services.meeting_call(
        meeting=meeting, decision=decision, called_on=day - dt.timedelta(days=30), acting_user=staff
    )
    for m in (director, *present):
        services.attendance_record(meeting=meeting, member=m, mode="in_person", acting_user=staff)
    return services.meeting_hold(meeting=meeting, acting_user=staff)
