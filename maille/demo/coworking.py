"""Demo data for coworking, made through the services (a step of ``maille demo``).

A site in the Mile End with four desks, two rooms and two equipment items,
each with prices and rules; two pass offers; bookings across the coming week
by the members whose activities have the budget for them (charged to their
activities in the ledger); a weekly series; a guest's booking invoiced by
the co-op with GST and QST (credited to Space income); another invoiced then
cancelled in time (a credit note); a pack of hours bought; a camera on loan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.budgets.selectors import budgets_of
from maille.core.models import User
from maille.coworking import services, terms
from maille.coworking.models import PassKind, PassPrice, Price, Resource, ResourceKind, Rule, Site
from maille.members.models import Activity, ActivityKind, ActivityStatus

SINCE = dt.date(2020, 1, 1)


def _resource(site: Site, kind: str, name: str, hour: str, **extra: object) -> Resource:
    buffer = int(str(extra.pop("buffer", 0)))
    item = Resource.objects.create(site=site, kind=kind, name=name, **extra)
    h = Decimal(hour)
    Price.objects.create(
        resource=item,
        valid_from=SINCE,
        member_hour=h,
        member_half_day=h * 3,
        member_day=h * 5,
        guest_hour=h * 2,
        guest_half_day=h * 6,
        guest_day=h * 10,
    )
    Rule.objects.create(resource=item, valid_from=SINCE, buffer_minutes=buffer)
    return item


def _next_open_days(site: Site, count: int) -> list[dt.date]:
    day = timezone.localdate() + dt.timedelta(days=1)
    found: list[dt.date] = []
    while len(found) < count:
        if terms.is_open_day(site, day):
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def load_small(staff: User) -> None:
    site = Site.objects.create(
        name="Maille — Mile End",
        street="5455, avenue de Gaspé",
        city="Montréal",
        postal_code="H2T 3B3",
    )
    desks = [_resource(site, ResourceKind.DESK, f"Poste {n}", "5.00") for n in range(1, 5)]
    jarry = _resource(
        site, ResourceKind.ROOM, "Salle Jarry", "20.00", capacity=8, equipment="Écran, tableau"
    )
    studio = _resource(
        site, ResourceKind.ROOM, "Studio d'enregistrement", "30.00", capacity=3, buffer=15
    )
    camera = _resource(
        site,
        ResourceKind.EQUIPMENT,
        "Caméra Sony FX3",
        "15.00",
        serial_number="FX3-5501234",
        condition="Très bon",
        buffer=30,
    )
    _resource(site, ResourceKind.EQUIPMENT, "Projecteur Epson", "8.00", serial_number="EP-88120")
    PassPrice.objects.create(
        site=site, kind=PassKind.MONTHLY_DESK, price=Decimal("180.00"), valid_from=SINCE
    )
    hours = PassPrice.objects.create(
        site=site,
        kind=PassKind.HOURS,
        hours=Decimal("10"),
        price=Decimal("150.00"),
        valid_from=SINCE,
    )
    activities = list(
        Activity.objects.filter(kind=ActivityKind.MEMBER, status=ActivityStatus.OPEN)
        .prefetch_related("owners__user")
        .order_by("code")
    )
    budgets = budgets_of(a.pk for a in activities)
    rich = sorted(
        (a for a in activities if a.owners.exists() and budgets[a.pk].available >= 400),
        key=lambda a: -budgets[a.pk].available,
    )[:3]
    days = _next_open_days(site, 5)
    for i, activity in enumerate(rich):
        owner = activity.owners.all()[0]
        for j, day in enumerate(days):
            room = (jarry, studio, desks[i])[(i + j) % 3]
            start = 9 + 2 * i
            services.booking_create(
                resource=room,
                activity=activity,
                start=terms.local_instant(day, dt.time(start)),
                end=terms.local_instant(day, dt.time(start + 2)),
                acting_user=owner.user,
                notify=False,
            )
    if rich:
        first = rich[0]
        owner = first.owners.all()[0]
        services.pass_buy(
            member=owner,
            activity=first,
            offer=hours,
            valid_from=timezone.localdate(),
            acting_user=owner.user,
        )
        services.booking_series_create(
            resource=desks[3],
            activity=first,
            slots=services.weekly_slots(
                day=days[0], start_time=dt.time(13), end_time=dt.time(17), weeks=4
            ),
            acting_user=owner.user,
            notify=False,
        )
        services.loan_check_out(
            resource=camera,
            member=owner,
            due_at=terms.local_instant(days[1], dt.time(17)),
            condition="Très bon, deux batteries",
            acting_user=staff,
        )
    guest = services.guest_booking_create(
        resource=jarry,
        start=terms.local_instant(days[2], dt.time(15)),
        end=terms.local_instant(days[2], dt.time(17)),
        name="Léa Roy",
        email="lea.roy@example.com",
        company="Studio Roy inc.",
        province="QC",
        postal_code="H2X 1Y4",
    )
    services.guest_booking_invoice(booking=guest, acting_user=staff)
    services.guest_booking_create(
        resource=studio,
        start=terms.local_instant(days[3], dt.time(15, 30)),
        end=terms.local_instant(days[3], dt.time(17, 30)),
        name="Marc Dubé",
        email="marc.dube@example.com",
        province="ON",
    )
    # A guest who cancelled in time after being invoiced: a credit note.
    cancelled = services.guest_booking_create(
        resource=jarry,
        start=terms.local_instant(days[4], dt.time(9)),
        end=terms.local_instant(days[4], dt.time(12)),
        name="Nadia Chen",
        email="nadia.chen@example.com",
        province="QC",
    )
    services.guest_booking_invoice(booking=cancelled, acting_user=staff)
    services.booking_cancel(booking=cancelled, acting_user=staff)
