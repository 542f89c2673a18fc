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
        meeting=meeting, decision=decision, today=day - dt.timedelta(days=30), acting_user=staff
    )
    for m in (director, *present):
        services.attendance_record(meeting=meeting, member=m, mode="in_person", acting_user=staff)
    return services.meeting_hold(meeting=meeting, acting_user=staff)


def matrix_objects(member: Member, other: Member, staff: User) -> dict[str, object]:
    """Governance objects for the permission matrix (``web/tests``): ``member``
        and ``other`` admitted with their shares (``member`` owing 40 $ on five
        shares subscribed today), a director, a draft meeting and a called one (a
    document each), two
        held ones (minutes of the first written), an application, three ballots
        (open, closed and not counted, an election counted) and two ristourne
        allocations (simulated for the year of ``member``'s pay; one voted)."""
    from maille.governance.models import DecisionKind

    today = timezone.localdate()
    now = timezone.now()
    with_shares(member, staff)
    services.shares_subscribe(member=member, shares=5, date=today, acting_user=staff)
    services.shares_pay(
        member=member, amount=Decimal("10.00"), date=today, method="transfer", acting_user=staff
    )
    with_shares(other, staff)
    from maille.tests_support import factories

    director = board(with_shares(factories.MemberFactory(), staff))[0]
    draft = services.meeting_create(
        kind="special",
        starts_at=now + dt.timedelta(days=40),
        agenda="1. Règlement intérieur",
        place="Salle commune",
        documents=[("resolution", "Projet de règlement", "Il est résolu de…")],
        acting_user=staff,
    )
    called = services.meeting_create(
        kind="special",
        starts_at=now + dt.timedelta(days=20),
        agenda="1. Politique de télétravail",
        place="Salle commune",
        documents=[("report", "Rapport du conseil", "Une politique de télétravail.")],
        acting_user=staff,
    )
    services.meeting_call(
        meeting=called,
        decision=services.board_decision_record(
            date=today,
            kind=DecisionKind.MEETING,
            text="Convocation",
            directors_present=[director],
            acting_user=staff,
        ),
        called_on=today,
        acting_user=staff,
    )
    held = held_meeting(staff, director, member, other)
    services.minutes_write(meeting=held, minutes="Quorum constaté.", acting_user=staff)
    later = held_meeting(staff, director, member, day=dt.date(2026, 6, 20))
    application = services.application_submit(
        consent=True,
        first_name="Noémie",
        last_name="Lavoie",
        email="noemie@exemple.test",
        street="88, rue Cartier",
        city="Québec",
        province="QC",
        postal_code="G1R 2R9",
        activity_planned="Traduction",
    )
    opened = open_resolution(staff)
    closed = services.ballot_create(
        question="Adopter la politique?",
        kind=BallotKind.RESOLUTION,
        record_date=today - dt.timedelta(days=2),
        opens_at=now - dt.timedelta(hours=3),
        closes_at=now - dt.timedelta(hours=1),
        acting_user=staff,
    )
    election = services.ballot_create(
        question="Élection au conseil",
        kind=BallotKind.ELECTION,
        record_date=today - dt.timedelta(days=2),
        opens_at=now - dt.timedelta(hours=3),
        closes_at=now - dt.timedelta(hours=1),
        candidates=[member],
        acting_user=staff,
    )
    option = election.options.get()
    for voter in (other, director):
        services.vote_cast(
            ballot=election,
            choices=[option.pk],
            acting_user=voter.user,
            now=now - dt.timedelta(hours=2),
        )
    services.ballot_count(ballot=election, acting_user=staff)
    year = member.payslips.values_list("pay_date__year", flat=True).first() or today.year
    simulated = services.ristourne_simulate(
        fiscal_year=year,
        surplus=Decimal("1000.00"),
        reserve=Decimal("300.00"),
        ristournes=Decimal("700.00"),
        basis="salary",
        form="cash",
        acting_user=staff,
    )
    # The year before: the assembly put the whole surplus to the reserve.
    voted = services.ristourne_simulate(
        fiscal_year=year - 1,
        surplus=Decimal("500.00"),
        reserve=Decimal("500.00"),
        ristournes=Decimal("0.00"),
        basis="salary",
        form="cash",
        acting_user=staff,
    )
    services.ristourne_allocate(
        allocation=voted, date=held.starts_at.date(), meeting=held, acting_user=staff
    )
    return {
        "today": today.isoformat(),
        "director_id": director.pk,
        "application": application.pk,
        "application_id": application.pk,
        "draft_meeting": draft.pk,
        "draft_document": draft.documents.get().pk,
        "meeting_document": called.documents.get().pk,
        "meeting": called.pk,
        "held_meeting": held.pk,
        "later_meeting": later.pk,
        "open_ballot": opened.pk,
        "open_option": opened.options.order_by("position").values_list("pk", flat=True)[0],
        "ballot": closed.pk,
        "counted_ballot": election.pk,
        "ristourne": simulated.pk,
        "voted_ristourne": voted.pk,
    }
