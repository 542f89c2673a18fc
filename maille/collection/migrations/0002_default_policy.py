"""The co-op's first dunning policy and the law of 2026 (admins edit both, by date)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

STEPS = [
    (
        1, 3, "friendly", "email", False,
        "Rappel : facture {number}",
        "Reminder: invoice {number}",
        "Bonjour,\n\nSauf erreur de notre part, la facture {number} ({amount}), échue le {due}, "
        "n'est pas encore réglée. Si le paiement est déjà parti, merci de ne pas tenir compte "
        "de ce message.\n\nCordialement,\n{coop}",
        "Hello,\n\nUnless we are mistaken, invoice {number} ({amount}), due on {due}, is still "
        "unpaid. If the payment is on its way, please disregard this message.\n\nKind regards,\n{coop}",
    ),
    (
        2, 15, "firm", "email", True,
        "Deuxième rappel : facture {number} en retard",
        "Second reminder: invoice {number} overdue",
        "Bonjour,\n\nLa facture {number} ({amount}), échue le {due}, demeure impayée malgré "
        "notre rappel. Merci de la régler sans délai ou de nous écrire si elle pose un "
        "problème.\n\nCordialement,\n{coop}",
        "Hello,\n\nInvoice {number} ({amount}), due on {due}, remains unpaid despite our "
        "reminder. Please pay it without delay, or write to us if there is a problem.\n\n"
        "Kind regards,\n{coop}",
    ),
    (3, 25, "call", "task", False, "", "", "", ""),
    (4, 35, "notice", "letter", True, "", "", "", ""),
]


def load(apps, schema_editor):
    Policy = apps.get_model("collection", "DunningPolicy")
    Step = apps.get_model("collection", "DunningStep")
    Legal = apps.get_model("collection", "LegalParameters")
    policy = Policy.objects.create(
        valid_from=dt.date(2026, 1, 1),
        run_at=dt.time(9, 0),
        contact_from=dt.time(8, 0),
        contact_until=dt.time(20, 0),
        member_notice_days=3,
        notice_delay_days=10,
        source="Policy of the board, 2026",
    )
    for position, days, kind, channel, firm, sfr, sen, tfr, ten in STEPS:
        Step.objects.create(
            policy=policy,
            position=position,
            days_after_due=days,
            kind=kind,
            channel=channel,
            firm=firm,
            subject_fr=sfr,
            subject_en=sen,
            text_fr=tfr,
            text_en=ten,
        )
    Legal.objects.create(
        valid_from=dt.date(2026, 1, 1),
        legal_interest_rate=Decimal("5.00"),
        small_claims_ceiling=Decimal("15000.00"),
        small_claims_max_employees=10,
        prescription_years=3,
        source="CCQ 1617, 2925; C.p.c. 536 (quebec-2026.md §3)",
    )


class Migration(migrations.Migration):
    dependencies = [("collection", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
