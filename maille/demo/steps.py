"""What ``maille demo`` runs, in order. Add a capability's demo with one entry.

``SMALL_STEPS`` load the small co-op, each given the staff person who acts
(``load(staff)``), after the demo logins exist. ``LARGE_STEPS`` each answer a
command option (``--members 20000``) with ``run(count, seed, progress)``;
they run in the order listed, each after the data it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from maille.core.models import Role, User
from maille.demo import (
    clients,
    collection,
    coworking,
    expenses,
    governance,
    guarantee,
    invoicing,
    ledger,
    members,
    payments,
    payroll,
)

Progress = Callable[[int, int], None]

DEMO_LOGINS = [
    ("admin@maille.coop", "Anne", "Lacroix", Role.ADMIN),
    ("conseil@maille.coop", "Sylvie", "Beaudoin", Role.STAFF),
]


@dataclass(frozen=True)
class SmallStep:
    name: str
    load: Callable[[User], object]


@dataclass(frozen=True)
class LargeStep:
    option: str  #: the command's option, ``--<option> N``
    help: str
    run: Callable[[int, int, Progress], object]  #: (count, seed, progress)


def logins() -> User:
    """The admin and staff demo logins; returns the staff person who loads the rest."""
    users = [
        User.objects.create_user(
            email, members.DEMO_PASSWORD, first_name=first, last_name=last, role=role
        )
        for email, first, last, role in DEMO_LOGINS
    ]
    return users[-1]


SMALL_STEPS: list[SmallStep] = [
    SmallStep("members", members.load_small),
    SmallStep("clients", clients.load_small),
    # Before the invoices: its invoices are dated 30 days back (a series never goes back).
    SmallStep("collection", collection.load_small),
    SmallStep("quotes and invoices", invoicing.load_small),
    SmallStep("payments and the bank", payments.load_small),
    SmallStep("guarantee fund", guarantee.load_small),
    SmallStep("expenses", expenses.load_small),
    # Before the pay run: a member pays his shares by deductions from pay.
    SmallStep("register of members and shares", governance.load_register),
    SmallStep("payroll", payroll.load_small),
    SmallStep("expenses waiting for the next pay", expenses.load_after_pay),
    SmallStep("governance", governance.load_small),
    SmallStep("coworking", coworking.load_small),
]

LARGE_STEPS: list[LargeStep] = [
    LargeStep(
        "members",
        "synthetic members to add",
        lambda count, seed, progress: members.generate(count=count, seed=seed, progress=progress),
    ),
    LargeStep(
        "clients",
        "synthetic clients to add",
        lambda count, seed, progress: clients.generate(count=count, seed=seed, progress=progress),
    ),
    LargeStep(
        "invoices",
        "synthetic issued invoices to add",
        lambda count, seed, progress: invoicing.generate(
            count=count, seed=seed, progress=progress, post_ledger=True
        ),
    ),
    LargeStep(
        "ledger-months",
        "months of synthetic books per open activity (ledger benchmarks only)",
        lambda count, seed, progress: ledger.generate(seed=seed, months=count, progress=progress),
    ),
]
