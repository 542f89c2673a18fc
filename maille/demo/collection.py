"""Demo data for collection, made through the services (a step of ``maille demo``).

Five overdue invoices to five clients, then the daily run replayed for each
of the last 30 days, so that the case files carry a real history: a friendly
reminder only, a firm one (the member told first), a call task, a case where
staff sent a formal notice (its PDF on the case page), a written dispute
(every step held, the member asked to answer), a broken promise (the steps
resumed), a write-off, and a written-off invoice partly paid later on (a
recovery the daily run books itself).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.clients.models import Client
from maille.collection import services
from maille.collection.dunning import collection_run
from maille.collection.exceptions import CollectionError
from maille.core.models import User
from maille.invoicing import services as invoicing
from maille.invoicing.models import Invoice
from maille.members.models import Activity, ActivityKind


def _issue(
    staff: User, activity: Activity, client: Client, title: str, issued: dt.date, term: int
) -> Invoice:
    draft = invoicing.invoice_create(
        activity=activity,
        client=client,
        acting_user=staff,
        title=title,
        payment_term_days=term,
        lines=[{"description": title, "quantity": Decimal(12), "unit_price": Decimal("95.00")}],
    )
    return invoicing.invoice_issue(invoice=draft, acting_user=staff, issue_date=issued)


def load_small(staff: User) -> dict[str, int]:
    today = timezone.localdate()

    def day(days_ago: int) -> dt.date:
        return today - dt.timedelta(days=days_ago)

    activities = list(Activity.objects.filter(kind=ActivityKind.MEMBER, status="open")[:3])
    clients = {c.legal_name: c for c in Client.objects.all()}
    names = [
        "Boulangerie Le Pain d'Antan",
        "Ville de Sherbrooke",
        "Northern Lights Media Ltd.",
        "Atlantic Seafood Co-operative",
        "Sophie Lapointe",
    ]
    chosen = [clients[n] for n in names if n in clients]
    if len(chosen) < 5 or not activities:
        return {}
    # All dated 30 days ago (the most an issue date may precede today), before the
    # invoicing demo's own invoices: a series' dates never go backwards.
    issued = day(30)
    call, firm, friendly, disputed, promised, lost = (
        _issue(staff, activities[0], chosen[0], "Affiches de la saison", issued, 0),
        _issue(
            staff, activities[1 % len(activities)], chosen[1], "Traduction du rapport", issued, 10
        ),
        _issue(staff, activities[2 % len(activities)], chosen[2], "Illustrations", issued, 22),
        _issue(staff, activities[0], chosen[3], "Atelier d'équipe", issued, 5),
        _issue(staff, activities[1 % len(activities)], chosen[4], "Portrait de famille", issued, 2),
        _issue(
            staff, activities[2 % len(activities)], chosen[1], "Révision linguistique", issued, 0
        ),
    )
    services.dispute_raise(
        invoice_id=disputed.pk,
        what="Nous n'avons reçu que la moitié des ateliers prévus.",
        raised_by="Direction des ressources humaines",
        acting_user=staff,
    )
    runs = 0
    for days_ago in range(28, -1, -1):
        d = day(days_ago)
        if days_ago == 12:
            services.promise_make(
                invoice_id=promised.pk,
                promised_on=day(7),
                amount=promised.total,
                acting_user=staff,
                on=d,
            )
        collection_run(
            date=d,
            now=timezone.make_aware(dt.datetime.combine(d, dt.time(9, 0))),
            acting_user=staff,
        )
        runs += 1
    case = services.case_for(call)
    services.case_note_add(
        case=case, text="Le client ne répond pas aux courriels.", acting_user=staff
    )
    services.formal_notice_issue(case=case, invoice_ids=[call.pk], acting_user=staff)
    written_off = 0
    try:
        from maille.collection.writeoff import write_off

        write_off(
            invoice_id=friendly.pk,
            amount=Decimal("100.00"),
            reason="Entente : rabais consenti pour un retard de livraison",
            acting_user=staff,
        )
        written_off = 1
    except CollectionError:  # without the guarantee's loss absorption, no write-off yet
        written_off = 0
    # A write-off, then the client pays part of it after all, naming the invoice:
    # today's run books the recovery (tax owed again, the activity credited).
    from maille.collection.writeoff import write_off as write_off_now
    from maille.demo.payments import operating_account
    from maille.payments.services import payment_record

    write_off_now(
        invoice_id=lost.pk,
        amount=lost.total,
        reason="Client injoignable depuis trois mois",
        acting_user=staff,
    )
    payment_record(
        bank_account=operating_account(),
        client=lost.client,
        date=today,
        amount=Decimal("300.00"),
        method="transfer",
        acting_user=staff,
        bank_reference=f"Paiement partiel {lost.number}",
    )
    recovered = collection_run(date=today, now=timezone.now(), acting_user=staff).recoveries
    return {
        "runs": runs,
        "written_off": written_off + 1,
        "recovered": recovered,
        "firm": firm.pk,
    }
