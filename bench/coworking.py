"""Benchmark of coworking on PostgreSQL (issue 16).

Run from the repository root:

    DATABASE_URL=postgres://postgres@localhost:5432/maille \\
        .venv/bin/python bench/coworking.py [--resources 200] [--bookings 10000] [--runs 20]

It works in a database of the same name ending in ``_bench`` (as
``bench/ledger.py``). It makes a site with ``--resources`` rooms and desks
and fills next month with ``--bookings`` bookings (in bulk: 9–10, 11–12 and
14–16 on each open day, resource after resource), then measures:

1. the week view of the site (``GET /coworking/sites/<id>/week/``, the whole
   request through the test client, signed in as a member), a week in the
   middle of that month: target < 200 ms;
2. one booking through the API (``POST /api/v1/coworking/bookings``: rules,
   overlap check, budget lock and check, insert under the exclusion
   constraint, ledger posting), 50 times on free slots: target median < 50 ms.

Figures only: nothing here asserts on time. Run it twice: the second run
reuses the bookings and measures again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")

from bench.ledger import bench_database, say

SITE = "Bench — site"


def next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def setup(resources: int, bookings: int) -> tuple[int, int, int, str]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone

    # Nobody is emailed about a benchmark's bookings: the confirmation is queued
    # (as in production, where a worker sends it), not sent inside the request.
    # Through override_settings, whose signal resets the task backends already
    # loaded (assigning settings.TASKS did not: every booking was emailed, and
    # printed, within its timing).
    override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ).enable()
    call_command("migrate", verbosity=0)

    from maille.api.services import api_token_create
    from maille.coworking import terms
    from maille.coworking.models import Booking, Price, Resource, ResourceKind, Rule, Site
    from maille.ledger import accounts
    from maille.ledger.services import LineSpec, entry_post
    from maille.members.models import FUND_ACTIVITY_CODE, Activity, Member
    from maille.tests_support import factories

    member = Member.objects.filter(user__email="bench.coworking@maille.test").first()
    if member is None:
        member = factories.MemberFactory.create(user__email="bench.coworking@maille.test")
    activity = Activity.objects.filter(code="BCW0001").first()
    if activity is None:
        activity = Activity.objects.create(
            code="BCW0001", name="Bench", start_date=dt.date(2020, 1, 1)
        )
        activity.owners.add(member)
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    entry_post(
        date=timezone.localdate(),
        description="Bench: budget",
        lines=[
            LineSpec(accounts.BANK, fonds, Decimal("1000000.00")),
            LineSpec(accounts.GUARANTEED_BUDGET, activity, Decimal("-1000000.00")),
        ],
        idempotency_key=f"bench:coworking:{timezone.localdate()}",
        acting_user=None,
    )
    site = Site.objects.filter(name=SITE).first() or Site.objects.create(
        name=SITE, street="1 rue du Banc", city="Montréal", postal_code="H2T 1A1"
    )
    have = Resource.objects.filter(site=site).count()
    if have < resources:
        made = Resource.objects.bulk_create(
            [
                Resource(
                    site=site,
                    kind=ResourceKind.ROOM if i % 4 == 0 else ResourceKind.DESK,
                    name=f"R{i:04d}",
                )
                for i in range(have, resources)
            ]
        )
        Price.objects.bulk_create(
            [
                Price(
                    resource=r,
                    valid_from=dt.date(2020, 1, 1),
                    member_hour=Decimal("10.00"),
                    member_half_day=Decimal("30.00"),
                    member_day=Decimal("50.00"),
                    guest_hour=Decimal("20.00"),
                    guest_half_day=Decimal("60.00"),
                    guest_day=Decimal("100.00"),
                )
                for r in made
            ]
        )
        Rule.objects.bulk_create([Rule(resource=r, valid_from=dt.date(2020, 1, 1)) for r in made])
    items = list(Resource.objects.filter(site=site).order_by("pk")[:resources])
    first, last = next_month(timezone.localdate())
    month = (terms.local_instant(first, dt.time(0)), terms.local_instant(last, dt.time(23)))
    existing = Booking.objects.filter(resource__site=site, start__range=month).count()
    if existing < bookings:
        Booking.objects.filter(resource__site=site, start__range=month).delete()
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        days = [d for d in days if terms.is_open_day(site, d)]
        hours = ((9, 10), (11, 12), (14, 16))
        rows: list[Booking] = []
        for resource in items:
            for day in days:
                for start, end in hours:
                    if len(rows) >= bookings:
                        break
                    rows.append(
                        Booking(
                            resource=resource,
                            activity=activity,
                            member=member,
                            start=terms.local_instant(day, dt.time(start)),
                            end=terms.local_instant(day, dt.time(end)),
                            blocked_until=terms.local_instant(day, dt.time(end)),
                            price=Decimal("10.00") * (end - start),
                        )
                    )
        say(f"Writing {len(rows)} bookings in {first:%B %Y}…")
        Booking.objects.bulk_create(rows, batch_size=2000)
    _row, token = api_token_create(user=member.user, name="bench")
    return site.pk, activity.pk, member.user_id, token


def measure(site_id: int, activity_id: int, user_id: int, token: str, runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from maille.core.models import User
    from maille.coworking import terms
    from maille.coworking.models import Booking, Resource

    first, _last = next_month(timezone.localdate())
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7)
    browser = Client()
    browser.force_login(User.objects.get(pk=user_id))
    url = f"/coworking/sites/{site_id}/week/?start={monday}"
    browser.get(url)  # warm up
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = browser.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        browser.get(url)
    resources = Resource.objects.filter(site_id=site_id).count()
    in_month = Booking.objects.filter(resource__site_id=site_id).count()
    say(
        f"Week view ({resources} resources, {in_month} bookings on the site): "
        f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms, "
        f"{len(queries)} queries, {len(response.content) // 1024} KiB (target < 200 ms); "
        f"CPU of this process: median {statistics.median(cpu):.0f} ms (a figure a loaded "
        "machine inflates less: time spent waiting for a core is not counted)"
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    # Free slots: 8:00–8:30 on the open days of that month, one resource each.
    items = list(Resource.objects.filter(site_id=site_id).order_by("pk")[:50])
    day = monday + dt.timedelta(days=7)
    slot = (terms.local_instant(day, dt.time(8)), terms.local_instant(day, dt.time(8, 30)))
    Booking.objects.filter(resource__in=items, start=slot[0]).delete()
    timings, cpu = [], []
    for resource in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = api.post(
            "/api/v1/coworking/bookings",
            {
                "resource_id": resource.pk,
                "activity_id": activity_id,
                "start": slot[0].isoformat(),
                "end": slot[1].isoformat(),
            },
            content_type="application/json",
        )
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 201, response.content
    taken = api.post(
        "/api/v1/coworking/bookings",
        {
            "resource_id": items[0].pk,
            "activity_id": activity_id,
            "start": slot[0].isoformat(),
            "end": slot[1].isoformat(),
        },
        content_type="application/json",
    )
    say(
        f"Booking through the API ({len(timings)} bookings): median "
        f"{statistics.median(timings):.1f} ms, "
        f"p90 {sorted(timings)[int(len(timings) * 0.9)]:.1f} ms "
        f"(target median < 50 ms); CPU of this process: median "
        f"{statistics.median(cpu):.1f} ms; the same slot again: {taken.status_code}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    name = bench_database()
    say(f"Database {name}")
    site_id, activity_id, user_id, token = setup(args.resources, args.bookings)
    measure(site_id, activity_id, user_id, token, args.runs)


if __name__ == "__main__":
    main()
