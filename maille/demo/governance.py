"""Demo data for governance: applications pending, members with shares fully
and partly paid, a board, a past annual meeting with its minutes and results,
an open vote, and the ristournes computed for the last fiscal year (the
by-laws' year, 1 April – 31 March), on its pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.core.models import User
from maille.governance import services
from maille.governance.models import AttendanceMode, BallotKind, DecisionKind, Membership
from maille.governance.selectors import bylaws_on, last_fiscal_year_end
from maille.members.models import Directorship, Member, MemberStatus

MONTREAL = dt.timezone(dt.timedelta(hours=-4))
ADMITTED = dt.date(2025, 1, 15)


def _first_three() -> list[Member] | None:
    active = list(
        Member.objects.filter(status=MemberStatus.ACTIVE).select_related("user").order_by("number")
    )
    return active if len(active) >= 3 else None


def load_register(staff: User) -> None:
    """The register, before the pay run: members, the board, shares. Jérôme
    pays his by deductions from pay, so the demo's pay run withholds his
    instalment (``governance.instalments``)."""
    active = _first_three()
    if active is None:
        return
    camille, jerome, mei = active[:3]
    # The co-op's fiscal year ends on 31 March (its by-laws): the April meeting
    # reports on the year just ended, and the ristournes are computed on it.
    bylaws = bylaws_on(ADMITTED)
    bylaws.fiscal_year_end_month = 3
    bylaws._change_reason = "Démo : exercice du 1er avril au 31 mars"  # type: ignore[attr-defined]
    bylaws.save()
    for member in active:
        Membership.objects.get_or_create(
            member=member, defaults={"category": "worker", "admitted_on": ADMITTED}
        )
    for member in (jerome, mei):
        Directorship.objects.create(member=member, started_on=ADMITTED, note="Élu·e à l'AGA 2025")
    # Shares: Camille and Mei paid in full; Jérôme subscribed lately, paying by instalments.
    for member in (camille, mei):
        services.shares_subscribe(member=member, shares=20, date=ADMITTED, acting_user=staff)
        services.shares_pay(
            member=member,
            amount=Decimal("200.00"),
            date=ADMITTED,
            method="transfer",
            acting_user=staff,
        )
    services.shares_subscribe(
        member=jerome,
        shares=20,
        date=timezone.localdate() - dt.timedelta(days=40),
        method="payroll",
        acting_user=staff,
    )


def load_small(staff: User) -> None:
    """After the pay run (the ristournes are computed from the pay)."""
    active = _first_three()
    if active is None:
        return
    camille, jerome, mei = active[:3]
    today = timezone.localdate()
    # Two applications waiting for the board.
    services.application_submit(
        consent=True,
        first_name="Noémie",
        last_name="Lavoie",
        email="noemie@exemple.ca",
        street="88, rue Cartier",
        city="Québec",
        province="QC",
        postal_code="G1R 2R9",
        language="fr",
        category="worker",
        activity_planned="Traduction littéraire",
        heard_from="Une membre de la coop",
    )
    application = services.application_submit(
        consent=True,
        first_name="Minh",
        last_name="Tran",
        email="minh@exemple.ca",
        street="4100, rue Sherbrooke O.",
        city="Montréal",
        province="QC",
        postal_code="H3Z 1A1",
        language="en",
        category="worker",
        activity_planned="Motion design",
        heard_from="Instagram",
    )
    services.application_review(
        application=application,
        notes="Portfolio solide ; clientèle déjà établie.",
        acting_user=staff,
    )
    # The past annual meeting, on the fiscal year 2025-2026 (ended 31 March 2026).
    year_end = dt.date(2026, 3, 31)
    meeting = services.meeting_create(
        kind="annual",
        starts_at=dt.datetime(2026, 4, 15, 18, 30, tzinfo=MONTREAL),
        agenda="1. Ouverture et quorum\n2. États financiers 2025-2026\n3. Rapport du conseil\n"
        "4. Affectation des excédents\n5. Élections\n6. Période de questions",
        place="Salle commune, 1234, rue Saint-Denis, Montréal",
        online_link="https://reunion.exemple.ca/aga-2026",
        fiscal_year_end=year_end,
        documents=[
            (
                "statements",
                "États financiers 2025-2026",
                "Produits : 412 300 $ — Excédent : 18 450 $",
            ),
            (
                "report",
                "Rapport du conseil 2025-2026",
                "Une année de croissance : 3 membres actifs.",
            ),
            (
                "resolution",
                "Adoption des états financiers",
                "Il est résolu d'adopter les états financiers 2025-2026.",
            ),
        ],
        acting_user=staff,
    )
    call = services.board_decision_record(
        date=dt.date(2026, 3, 20),
        kind=DecisionKind.MEETING,
        text="Le conseil convoque l'assemblée générale annuelle du 15 avril 2026.",
        directors_present=[jerome, mei],
        acting_user=staff,
    )
    # Called in the past: no email goes out now (the demo's people are fictional).
    meeting = services.meeting_call(
        meeting=meeting, decision=call, today=dt.date(2026, 3, 20), acting_user=staff
    )
    for member, mode in (
        (camille, AttendanceMode.IN_PERSON),
        (mei, AttendanceMode.ONLINE),
        (jerome, AttendanceMode.IN_PERSON),
    ):
        services.attendance_record(meeting=meeting, member=member, mode=mode, acting_user=staff)
    services.meeting_hold(meeting=meeting, acting_user=staff)
    opens = dt.datetime(2026, 4, 15, 19, 0, tzinfo=MONTREAL)
    ballot = services.ballot_create(
        question="Adopter les états financiers 2025-2026 ?",
        kind=BallotKind.RESOLUTION,
        record_date=dt.date(2026, 4, 14),
        opens_at=opens,
        closes_at=opens + dt.timedelta(minutes=30),
        meeting=meeting,
        acting_user=staff,
    )
    yes = ballot.options.order_by("position").values_list("pk", flat=True)[0]
    for member in (camille, mei):
        services.vote_cast(
            ballot=ballot,
            choices=[yes],
            acting_user=member.user,
            now=opens + dt.timedelta(minutes=5),
        )
    services.ballot_count(ballot=ballot, acting_user=staff, now=opens + dt.timedelta(minutes=31))
    services.minutes_write(
        meeting=meeting,
        minutes="Quorum constaté (3 présents). Les états financiers 2025-2026 sont adoptés "
        "(2 pour, 0 contre). Période de questions : aucune.",
        acting_user=staff,
    )
    # An open vote, a week long.
    now = timezone.now()
    services.ballot_create(
        question="Adopter la politique de télétravail ?",
        kind=BallotKind.RESOLUTION,
        record_date=today - dt.timedelta(days=1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        acting_user=staff,
    )
    # The ristournes of the last fiscal year ended (not the year under way),
    # simulated for the board on that year's pay (``demo.payroll``).
    services.ristourne_simulate(
        fiscal_year=last_fiscal_year_end(today).year,
        surplus=Decimal("18450.00"),
        reserve=Decimal("5535.00"),
        ristournes=Decimal("9000.00"),
        basis="salary",
        form="shares",
        acting_user=staff,
    )
