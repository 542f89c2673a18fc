"""Exposure, balance and coverage stay sums over ledger lines after random operations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maille.guarantee import job, rules, selectors, services
from maille.guarantee.models import Advance, Loss
from maille.invoicing import services as invoicing
from maille.invoicing.models import OPEN_STATUSES
from maille.invoicing.settlement import open_amount
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.payments.services import AllocationSpec, payment_record

pytestmark = pytest.mark.django_db

operation = st.one_of(
    st.tuples(st.just("issue"), st.integers(1, 40), st.booleans()),
    st.tuples(st.just("pay"), st.integers(0, 20), st.integers(1, 100)),
    st.tuples(st.just("credit"), st.integers(0, 20), st.integers(1, 90)),
    st.tuples(st.just("write_off"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("run"), st.just(0), st.just(0)),
)


def raw_sum(**filters):
    return sum(JournalLine.objects.filter(**filters).values_list("amount", flat=True), Decimal(0))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=8))
def test_fund_figures_are_sums_over_lines(
    ops, issue_accepted, issue_plain, camille, camille_activity, client_qc, sylvie, operating
):
    day = dt.date(2026, 6, 15)
    issued = []
    for op, a, b in ops:
        if op == "issue":
            make = issue_accepted if b else None
            invoice = (
                make(camille, camille_activity, client_qc, "1", f"{a * 37}.00")
                if make
                else issue_plain(camille_activity, client_qc, "1", f"{a * 37}.00")
            )
            issued.append(invoice)
        elif not issued:
            continue
        elif op == "pay":
            invoice = issued[a % len(issued)]
            invoice.refresh_from_db()
            owed = open_amount(invoice)
            amount = (owed * b / 100).quantize(Decimal("0.01"))
            if invoice.status in OPEN_STATUSES and amount > 0:
                payment_record(
                    bank_account=operating,
                    client=client_qc,
                    date=day,
                    amount=amount,
                    method="transfer",
                    acting_user=sylvie,
                    allocations=[AllocationSpec(invoice=invoice, amount=amount)],
                )
        elif op == "credit":
            invoice = issued[a % len(issued)]
            invoice.refresh_from_db()
            line = invoice.lines.get()
            amount = (line.amount * b / 100).quantize(Decimal("0.01"))
            if (
                invoice.status in OPEN_STATUSES
                and invoice.amount_paid == 0
                and amount > 0
                and not invoice.credit_notes.exists()
            ):
                note = invoicing.credit_note_create(
                    invoice=invoice,
                    acting_user=sylvie,
                    reason="Révision",
                    amounts={line.pk: amount},
                )
                invoicing.invoice_issue(invoice=note, acting_user=sylvie, issue_date=day)
        elif op == "write_off":
            invoice = issued[a % len(issued)]
            invoice.refresh_from_db()
            owed = open_amount(invoice)
            if invoice.status in OPEN_STATUSES and owed > 0:
                services.absorb_loss(invoice=invoice, amount=owed, acting_user=sylvie, on=day)
        else:
            job.guarantee_run(on=day)
    job.guarantee_run(on=day)
    figures = selectors.fund_figures(day)
    exposure = raw_sum(account__code=accounts.GUARANTEE_ADVANCES, activity__code="FONDS")
    result = raw_sum(activity__code="FONDS", account__type__in=("revenue", "expense", "equity"))
    losses = raw_sum(account__code=accounts.BAD_DEBTS, activity__code="FONDS")
    assert figures.exposure == exposure
    assert figures.balance == -result
    assert figures.losses_this_year == losses
    assert losses == sum(Loss.objects.values_list("fund_part", flat=True), Decimal(0))
    if exposure > 0:
        assert figures.coverage == (-result / exposure).quantize(Decimal("0.001"))
    # Each open advance stands where the rules say, from the invoice's own figures.
    positions = selectors.positions()
    expected = Decimal(0)
    for advance in Advance.objects.select_related("invoice"):
        inv = advance.invoice
        notes = inv.credit_notes.exclude(status="draft")
        subtotal = inv.subtotal - sum((n.subtotal for n in notes), Decimal(0))
        contribution = inv.contribution - sum((n.contribution for n in notes), Decimal(0))
        total = inv.total - sum((n.total for n in notes), Decimal(0))
        if inv.guarantee_losses.exists():
            target = Decimal(0)
        else:
            t = rules.targets(
                amount=advance.amount,
                share=advance.share,
                subtotal=subtotal,
                contribution=contribution,
                total=total,
                collected=inv.amount_paid,
            )
            target = t.outstanding(advance.amount)
        assert positions[advance.pk].outstanding == target, inv.number
        expected += target
    assert exposure == expected
    # The books balance.
    assert raw_sum() == 0
