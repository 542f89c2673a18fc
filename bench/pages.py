"""Foundation pages and API at realistic scale: p50 / p95 per request.

    DATABASE_URL=postgres://postgres@localhost:5432/maille_bench \\
        python bench/pages.py --members 20000 --clients 60000

Generates the synthetic co-op (``maille demo --members … --clients …``) into an
empty database if it has no members yet, then times each page through the
Django test client (no network), 50 requests each after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")
os.environ.setdefault("AXES_ENABLED", "0")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=60000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from maille.api.services import api_token_create
    from maille.core.models import Role, User
    from maille.members.models import Member

    call_command("migrate", verbosity=0)
    if not Member.objects.exists():
        started = time.perf_counter()
        call_command("demo", "--members", str(args.members), "--clients", str(args.clients))
        print(
            f"generated {args.members} members, {args.clients} clients "
            f"in {time.perf_counter() - started:.1f} s"
        )
    staff, _ = User.objects.get_or_create(
        email="bench-staff@maille.test", defaults={"role": Role.STAFF}
    )
    member = Member.objects.select_related("user").filter(status="active").first()
    assert member is not None
    _row, token = api_token_create(user=staff, name="bench")

    as_staff = Client()
    as_staff.force_login(staff)
    as_member = Client()
    as_member.force_login(member.user)
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    cases = [
        ("staff: member list", lambda: as_staff.get("/members/")),
        ("staff: member search", lambda: as_staff.get("/members/?q=Tremblay")),
        ("staff: member list, page 200", lambda: as_staff.get("/members/?page=200")),
        (
            "staff: client search (htmx)",
            lambda: as_staff.get("/clients/?q=Boréal", HTTP_HX_REQUEST="true"),
        ),
        ("member: my activities", lambda: as_member.get("/activities/")),
        ("member: client directory", lambda: as_member.get("/clients/")),
        ("API: clients?q=", lambda: as_staff.get("/api/v1/clients?q=Studio&limit=50", **api)),
        ("API: members page", lambda: as_staff.get("/api/v1/members?limit=100&offset=5000", **api)),
    ]
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, call in cases:
        response = call()
        assert response.status_code == 200, (name, response.status_code)
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:34} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}")


if __name__ == "__main__":
    main()
