"""Demo quotes and invoices: a small co-op's documents in every state, and a
large deterministic set of invoices for benchmarks.

    load_small(staff)                          # after the members and clients demo
    generate(count=1_000_000, seed=1)          # after members.generate

The small set goes through the services (numbers, taxes, ledger postings,
PDFs frozen for the quotes sent). The large set is written in bulk, like the
other generators: documents with their lines and stored taxes, numbered in
sequence per year; pass ``post_ledger=True`` to post them to the ledger too,
with the invoicing posting rule through the ledger's bulk service. No invoice
is shown as paid: that takes a payment in the ledger (the payments demo).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maille.clients.models import Client
from maille.contracts import services as quotes
from maille.contracts.coop import coop
from maille.contracts.lines import LineIn
from maille.contracts.models import Quote, QuoteMilestone, TrustedMember
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.documents.models import Counter
from maille.documents.numbering import format_number
from maille.invoicing import postings, services
from maille.invoicing.models import (
    SERIES,
    ContributionPolicy,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    InvoiceTax,
)
from maille.ledger.services import entries_post_many
from maille.members.models import (
    Activity,
    ActivityKind,
    Member,
)
from maille.members.selectors import coop_activities
from maille.taxes import sales as taxes


def _lines(*specs: tuple[str, str, str], unit: str = "hour") -> list[LineIn]:
    return [
        LineIn(description=d, quantity=Decimal(q), unit=unit, unit_price=Decimal(p))
        for d, q, p in specs
    ]


def _accept(quote: Quote, name: str, role: str, decision: str = "accepted") -> None:
    quotes.quote_decide(
        quote=quote,
        decision=decision,
        signer_name=name,
        signer_role=role,
        document_sha256=quote.document_sha256,
        ip_address="203.0.113.10",
        user_agent="Mozilla/5.0 (démo)",
        reason="" if decision == "accepted" else "Budget reporté",
    )


def load_small(staff: User) -> None:
    """Quotes and invoices of the small demo co-op, in every state."""
    member = {m.user.email: m for m in Member.objects.select_related("user")}
    camille, jerome, mei = (
        member[e] for e in ("camille@exemple.ca", "jerome@exemple.ca", "mei@exemple.ca")
    )
    act = {a.name: a for a in Activity.objects.filter(kind=ActivityKind.MEMBER)}
    illustration, ateliers = act["Illustration jeunesse"], act["Ateliers de dessin"]
    traduction, collectif = act["Traduction technique"], act["Collectif Documentaire Fleuve"]
    client = {c.legal_name: c for c in Client.objects.all()}
    editions = client["Éditions de la Courte Échelle inc."]
    boulangerie = client["Boulangerie Le Pain d'Antan"]
    ville = client["Ville de Sherbrooke"]
    northern = client["Northern Lights Media Ltd."]
    atlantic = client["Atlantic Seafood Co-operative"]
    rocky = client["Rocky Mountain Outfitters"]
    lumiere = client["Atelier Lumière SARL"]
    brooklyn = client["Brooklyn Sound Studio LLC"]
    sophie = client["Sophie Lapointe"]
    today = timezone.localdate()

    def day(days_ago: int) -> dt.date:
        return today - dt.timedelta(days=days_ago)

    TrustedMember.objects.get_or_create(
        member=camille, client=editions, defaults={"granted_by": staff}
    )

    def quote(
        m: Member,
        a: Activity,
        c: Client,
        title: str,
        lines: list[LineIn],
        days_ago: int,
        **fields: Any,
    ) -> Quote:
        return quotes.quote_create(
            activity=a,
            client=c,
            author=m,
            acting_user=staff,
            title=title,
            lines=lines,
            quote_date=day(days_ago),
            valid_until=day(days_ago) + dt.timedelta(days=60),
            deliverables=fields.pop("deliverables", ""),
            **fields,
        )

    def send(q: Quote) -> Quote:
        q = quotes.quote_submit(quote=q, acting_user=staff)
        if q.status == "submitted":
            q = quotes.quote_validate(quote=q, acting_user=staff)
        return quotes.quote_send(quote=q, acting_user=staff, email=False)

    album = send(
        quote(
            camille,
            illustration,
            editions,
            "Illustrations de l'album « La marée haute »",
            _lines(
                ("Esquisses et recherche de personnages", "12", "85.00"),
                ("Illustrations finales (14 doubles pages)", "56", "85.00"),
                ("Couverture", "8", "95.00"),
            ),
            50,
            deliverables="14 doubles pages et une couverture, fichiers TIFF 600 dpi.",
            start_date=day(45),
            end_date=day(-30),
            milestones=[
                {"label": "Esquisses", "percent": "30"},
                {"label": "Illustrations finales", "percent": "70"},
            ],
        )
    )
    _accept(album, "Nathalie Roy", "Directrice artistique")
    stone = QuoteMilestone.objects.filter(quote=album).order_by("position").first()
    deposit = services.invoice_create_from_quote(
        quote=album, acting_user=staff, mode="milestone", milestone=stone
    )
    services.invoice_issue(invoice=deposit, acting_user=staff, issue_date=day(29))
    services.invoice_create_from_quote(quote=album, acting_user=staff, mode="balance")

    send(
        quote(
            camille,
            ateliers,
            boulangerie,
            "Atelier de dessin pour les employés",
            _lines(("Atelier de 3 heures", "2", "180.00")),
            5,
        )
    )
    quotes.quote_submit(
        quote=quote(
            jerome,
            traduction,
            northern,
            "Translation of a product catalogue (FR→EN)",
            _lines(("Translation", "12000", "0.18"), unit="word"),
            3,
            language="en",
        ),
        acting_user=staff,
    )
    quote(
        jerome,
        traduction,
        ville,
        "Traduction du rapport annuel",
        _lines(("Traduction", "20", "70.00")),
        1,
    )
    refused = send(
        quote(
            mei,
            collectif,
            atlantic,
            "Documentary shoot — two days",
            _lines(("Shooting day", "2", "1200.00"), unit="day"),
            30,
            language="en",
        )
    )
    _accept(refused, "Morgan MacLeod", "Communications", decision="refused")

    cancelled = send(
        quote(
            camille,
            illustration,
            editions,
            "Affiches du salon du livre",
            _lines(("Affiches", "20", "85.00")),
            45,
        )
    )
    _accept(cancelled, "Nathalie Roy", "Directrice artistique")
    final = services.invoice_create_final(
        quote=cancelled,
        acting_user=staff,
        work_done=_lines(("Esquisses réalisées", "6", "85.00")),
        costs=_lines(("Épreuves d'impression", "1", "60.00"), unit="flat"),
        cancelled_on=day(20),
        reason="Le salon est annulé.",
    )
    services.invoice_issue(invoice=final, acting_user=staff, issue_date=day(18))

    def draft(activity: Activity, client: Client, title: str, *line: str, **fields: Any) -> Invoice:
        """A draft invoice of one line (description, quantity, unit price) by staff."""
        d, q, p = line
        return services.invoice_create(
            activity=activity,
            client=client,
            acting_user=staff,
            title=title,
            lines=_lines((d, q, p), unit=fields.pop("unit", "hour")),
            **fields,
        )

    overdue = draft(
        traduction,
        rocky,
        "Website translation",
        *("Translation (EN→FR)", "6500", "0.20"),
        unit="word",
        payment_term_days=7,  # issued 17 days ago: overdue by 10 days
    )
    services.invoice_issue(invoice=overdue, acting_user=staff, issue_date=day(17))
    # Issued, not marked paid: only a payment in the ledger may say so (issue 10).
    private_lessons = draft(ateliers, sophie, "Cours privés de dessin", "Cours privé", "4", "60.00")
    services.invoice_issue(invoice=private_lessons, acting_user=staff, issue_date=day(16))
    credited = services.invoice_issue(
        invoice=draft(traduction, northern, "Subtitles", "Subtitling", "10", "75.00"),
        acting_user=staff,
        issue_date=day(15),
    )
    note = services.credit_note_create(
        invoice=credited,
        acting_user=staff,
        reason="Two hours billed twice",
        amounts={credited.lines.get().pk: Decimal("150.00")},
    )
    services.invoice_issue(invoice=note, acting_user=staff, issue_date=day(14))
    export = draft(collectif, brooklyn, "Sound design consulting", "Consulting", "5", "110.00")
    services.invoice_set_abroad_decision(invoice=export, acting_user=staff, decision="zero_rated")
    services.invoice_issue(invoice=export, acting_user=staff, issue_date=day(12))
    draft(illustration, lumiere, "Illustration pour une affiche", "Illustration", "10", "90.00")
    internal = services.invoice_create_internal(
        activity=illustration,
        buyer_activity=collectif,
        acting_user=staff,
        title="Storyboard du documentaire",
        lines=_lines(("Storyboard", "8", "75.00")),
    )
    services.invoice_issue(invoice=internal, acting_user=staff, issue_date=day(8))


_WORK = [
    "Illustration",
    "Traduction",
    "Révision",
    "Montage vidéo",
    "Photographie",
    "Conception graphique",
    "Rédaction",
    "Formation",
    "Animation d'atelier",
    "Développement Web",
    "Accompagnement",
    "Prise de son",
]


def generate(
    *,
    count: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    start: dt.date | None = None,
    days: int = 730,
    post_ledger: bool = False,
) -> int:
    """``count`` invoices (3 % drafts; 2 % of the issued ones credited in full) over the
    ``days`` before ``start`` (today), spread over every open member activity and every
    client. Numbers continue each year's sequence. Returns how many were written.

    Written in bulk for speed, but with the domain's own rules: taxes by
    ``taxes.compute`` from the dated rates, the contribution by the policy in
    force on each issue date (``ContributionPolicy.contribution_on``), and, with
    ``post_ledger``, the ledger entries of ``invoicing.postings.entry_specs``
    posted through the ledger's bulk service. Nothing is marked paid: only a
    payment recorded in the ledger may say so."""
    rng = random.Random(seed + 4)  # noqa: S311 — demo data, not security
    end = start or timezone.localdate()
    activities = list(
        Activity.objects.filter(kind=ActivityKind.MEMBER, status="open").values_list(
            "pk", flat=True
        )
    )
    owners = dict(
        Activity.owners.through.objects.filter(activity_id__in=activities).values_list(
            "activity_id", "member_id"
        )
    )
    clients = list(
        Client.objects.values_list(
            "pk", "legal_name", "province", "country", "gst_number", "language"
        )[:200_000]
    )
    if not activities or not clients:
        raise ValueError("generate members, activities and clients first")
    policies: dict[dt.date, ContributionPolicy] = {}

    def policy_on(day: dt.date) -> ContributionPolicy:
        if day not in policies:
            policy = ContributionPolicy.on(day)
            if policy is None:
                raise ValueError(f"no contribution policy in force on {day}")
            policies[day] = policy
        return policies[day]

    info = coop()
    late_interest = Decimal(settings.MAILLE_DEFAULT_LATE_INTEREST_RATE)
    batch = 5000
    written = 0
    for offset in range(0, count, batch):
        n = min(batch, count - offset)
        rows: list[_Document] = []
        for _i in range(n):
            activity_id = rng.choice(activities)
            cid, name, province, country, gst, language = rng.choice(clients)
            issue_date = end - dt.timedelta(days=rng.randrange(days))
            # Drafts wait days, not years: a few, among the last month's.
            draft = rng.random() < 0.03 and (end - issue_date).days < 30
            lines = []
            for position in range(rng.choice((1, 1, 2, 3))):
                quantity = Decimal(rng.randint(1, 40))
                price = Decimal(rng.randint(4000, 15000)) / 100
                lines.append(
                    InvoiceLine(
                        position=position,
                        description=rng.choice(_WORK),
                        quantity=quantity,
                        unit="hour",
                        unit_price=price,
                        amount=round_half_up(quantity * price),
                    )
                )
            abroad = country != "CA"
            result = taxes.compute(
                lines=[taxes.TaxLine(line.amount) for line in lines],
                on=issue_date,
                country=country,
                province=province,
                abroad=taxes.AbroadDecision.ZERO_RATED if abroad else "",
            )
            contribution, fund_share = (
                (ZERO, ZERO) if draft else policy_on(issue_date).contribution_on(result.subtotal)
            )
            invoice = Invoice(
                kind=InvoiceKind.INVOICE,
                status=InvoiceStatus.DRAFT if draft else InvoiceStatus.ISSUED,
                activity_id=activity_id,
                member_id=owners.get(activity_id),
                client_id=cid,
                language=language,
                title=rng.choice(_WORK),
                issue_date=None if draft else issue_date,
                due_date=None if draft else issue_date + dt.timedelta(days=30),
                payment_term_days=30,
                late_interest_rate=late_interest,
                abroad_decision="zero_rated" if abroad else "",
                place_of_supply=result.place,
                regime=result.regime,
                subtotal=result.subtotal,
                tax_total=result.tax_total,
                total=result.total,
                contribution=contribution,
                fund_share=fund_share,
                buyer_name=name,
                buyer_country=country,
                buyer_gst=gst,
                seller_gst=info.gst_number,
                seller_qst=info.qst_number,
                issued_at=None if draft else timezone.now(),
                link_nonce="" if draft else secrets.token_hex(8),
            )
            tax_rows = [InvoiceTax.of(t) for t in result.taxes]
            rows.append((invoice, lines, tax_rows))
        with transaction.atomic():
            _number([r[0] for r in rows if r[0].issue_date], SERIES["invoice"])
            _write(rows)
            notes = _credit_notes(rows, rng)
            if post_ledger:
                _post([r for r in rows if r[0].number] + notes)
        written += n
        if progress:
            progress(written, count)
    return written


_Document = tuple[Invoice, list[InvoiceLine], list[InvoiceTax]]


def _number(documents: list[Invoice], series: str) -> None:
    """Continue each year's sequence of ``series``, in date order, and move the counters on."""
    by_year: dict[int, int] = {}
    for document in sorted(documents, key=lambda d: d.issue_date or dt.date.min):
        if document.issue_date is None:
            raise RuntimeError("only a dated document is numbered")
        year = document.issue_date.year
        if year not in by_year:
            counter, _created = Counter.objects.select_for_update().get_or_create(
                series=series, year=year
            )
            by_year[year] = counter.last
        by_year[year] += 1
        document.series, document.year, document.sequence = series, year, by_year[year]
        document.number = format_number(series, year, by_year[year])
    for year, last in by_year.items():
        Counter.objects.filter(series=series, year=year).update(last=last)


def _write(rows: list[_Document]) -> None:
    Invoice.objects.bulk_create([r[0] for r in rows], batch_size=1000)
    for invoice, lines, tax_rows in rows:
        for line in lines:
            line.invoice = invoice
        for tax in tax_rows:
            tax.invoice = invoice
    InvoiceLine.objects.bulk_create([x for r in rows for x in r[1]], batch_size=2000)
    InvoiceTax.objects.bulk_create([x for r in rows for x in r[2]], batch_size=2000)


def _credit_notes(rows: list[_Document], rng: random.Random) -> list[_Document]:
    """Credit 2 % of the batch's issued invoices in full, reversing their stored taxes."""
    notes: list[_Document] = []
    for invoice, lines, tax_rows in rows:
        if invoice.status == InvoiceStatus.ISSUED and rng.random() < 0.02:
            note = Invoice(
                kind=InvoiceKind.CREDIT_NOTE,
                status=InvoiceStatus.ISSUED,
                corrects=invoice,
                reason="Crédit complet (démo)",
                activity_id=invoice.activity_id,
                member_id=invoice.member_id,
                client_id=invoice.client_id,
                language=invoice.language,
                issue_date=invoice.issue_date,
                due_date=invoice.issue_date,
                payment_term_days=0,
                place_of_supply=invoice.place_of_supply,
                regime=invoice.regime,
                subtotal=invoice.subtotal,
                tax_total=invoice.tax_total,
                total=invoice.total,
                contribution=invoice.contribution,
                fund_share=invoice.fund_share,
                buyer_name=invoice.buyer_name,
                buyer_country=invoice.buyer_country,
                seller_gst=invoice.seller_gst,
                seller_qst=invoice.seller_qst,
                issued_at=invoice.issued_at,
                link_nonce=secrets.token_hex(8),
            )
            credited_lines = [
                InvoiceLine(
                    position=line.position,
                    description=line.description,
                    quantity=Decimal(1),
                    unit="flat",
                    unit_price=line.amount,
                    amount=line.amount,
                    credited_line=line,
                )
                for line in lines
            ]
            reversed_taxes = [InvoiceTax.of(t) for t in tax_rows]
            notes.append((note, credited_lines, reversed_taxes))
    if notes:
        _number([n[0] for n in notes], SERIES["credit_note"])
        _write(notes)
    return notes


def _post(documents: list[_Document]) -> None:
    """The issued documents' entries, by the invoicing posting rule, in one bulk ledger call."""
    special = coop_activities()
    activity_of = {
        a.pk: a for a in Activity.objects.filter(pk__in={d[0].activity_id for d in documents})
    }
    specs = []
    for invoice, _lines, tax_rows in documents:
        invoice.activity = activity_of[invoice.activity_id]
        specs += postings.entry_specs(invoice, tax_rows, special)
    entries_post_many(entries=specs, acting_user=None)
