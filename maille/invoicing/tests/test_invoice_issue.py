"""Issuing invoices: numbers, stored taxes, due dates, and every refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from maille.clients.models import Client
from maille.contracts.tests.helpers import lines
from maille.documents.models import Counter
from maille.invoicing import services
from maille.invoicing.models import Invoice, InvoiceStatus
from maille.invoicing.services import (
    InvoiceAlreadyIssued,
    InvoiceNotEditable,
    InvoiceNotIssuable,
)
from maille.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 14)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 5, 14, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


def draft(member, activity, client, *specs, **fields):
    return services.invoice_create(
        activity=activity,
        client=client,
        acting_user=member.user,
        lines=lines(*(specs or (("10", "100.00"),))),
        **fields,
    )


def test_it_issues_a_direct_invoice(camille, camille_activity, client_qc, sylvie):
    invoice = draft(camille, camille_activity, client_qc)
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    assert invoice.total == D("1149.75")  # a draft shows its taxes already
    issued = services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert issued.number == "F-2026-000001"
    assert (issued.subtotal, issued.tax_total, issued.total) == (
        D("1000.00"),
        D("149.75"),
        D("1149.75"),
    )
    assert {t.code: t.amount for t in issued.taxes.all()} == {"GST": D("50.00"), "QST": D("99.75")}
    assert issued.issue_date == TODAY
    assert issued.due_date == TODAY + dt.timedelta(days=30)
    assert issued.has_accepted_quote is False
    assert issued.member == camille
    assert (issued.contribution, issued.fund_share) == (D("65.00"), D("16.25"))
    assert issued.buyer_name == client_qc.legal_name
    assert issued.seller_gst == "812345676RT0001"


def test_numbers_follow_each_other_and_restart_each_year(
    camille, camille_activity, client_qc, sylvie
):
    a, b, c = (draft(camille, camille_activity, client_qc) for _ in range(3))
    # Early January: the last days of December are within the back-dating window.
    with time_machine.travel(dt.datetime(2026, 1, 10, 15, 0, tzinfo=dt.UTC), tick=False):
        services.invoice_issue(invoice=a, acting_user=sylvie, issue_date=dt.date(2025, 12, 31))
        services.invoice_issue(invoice=b, acting_user=sylvie)
        services.invoice_issue(invoice=c, acting_user=sylvie)
    numbers = list(Invoice.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["F-2025-000001", "F-2026-000001", "F-2026-000002"]


def test_it_refuses_a_second_issue(camille, camille_activity, client_qc, sylvie):
    invoice = draft(camille, camille_activity, client_qc)
    services.invoice_issue(invoice=invoice, acting_user=sylvie)
    with pytest.raises(InvoiceAlreadyIssued):
        services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert Counter.objects.get(series="F", year=2026).last == 1


def test_members_cannot_issue(camille, camille_activity, client_qc):
    invoice = draft(camille, camille_activity, client_qc)
    with pytest.raises(PermissionError):
        services.invoice_issue(invoice=invoice, acting_user=camille.user)


def test_a_member_cannot_draft_for_another_members_activity(camille, jerome_activity, client_qc):
    with pytest.raises(PermissionError):
        draft(camille, jerome_activity, client_qc)


def test_an_issued_invoice_never_changes(camille, camille_activity, client_qc, sylvie):
    invoice = services.invoice_issue(
        invoice=draft(camille, camille_activity, client_qc), acting_user=sylvie
    )
    with pytest.raises(InvoiceNotEditable):
        services.invoice_update(invoice=invoice, acting_user=sylvie, notes="changed")
    with pytest.raises(InvoiceNotEditable):
        services.invoice_discard(invoice=invoice, acting_user=sylvie)
    invoice.refresh_from_db()
    assert invoice.notes == ""


def test_an_invoice_totalling_zero_is_refused_and_nothing_is_written(
    camille, camille_activity, client_qc, sylvie
):
    invoice = draft(camille, camille_activity, client_qc, ("3", "0.00"))
    with pytest.raises(InvoiceNotIssuable) as err:
        services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert "Le total de la facture est nul" in str(err.value)  # in French, the default
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    assert not Counter.objects.filter(series="F").exists()


@pytest.mark.parametrize(
    ("quantity", "price", "field"),
    [
        ("-1", "100.00", "quantity"),
        ("0", "100.00", "quantity"),
        ("1e9", "1.00", "quantity"),
        ("1.0001", "1.00", "quantity"),
        ("1", "-5.00", "unit_price"),
        ("1", "12.345", "unit_price"),
        ("abc", "1.00", "quantity"),
        ("NaN", "1.00", "quantity"),
        ("1", "Infinity", "unit_price"),
        ("999999", "9999999.00", "unit_price"),
    ],
)
def test_negative_or_absurd_lines_are_refused(
    camille, camille_activity, client_qc, quantity, price, field
):
    with pytest.raises(ValidationError) as err:
        draft(camille, camille_activity, client_qc, (quantity, price))
    assert f"lines.0.{field}" in err.value.message_dict
    assert not Invoice.objects.exists()


def test_a_zero_rated_line_needs_a_reason(camille, camille_activity, client_qc):
    with pytest.raises(ValidationError) as err:
        draft(camille, camille_activity, client_qc, ("1", "100.00", "zero_rated", ""))
    assert "lines.0.treatment_reason" in err.value.message_dict


def test_a_client_without_a_province_is_refused(camille, camille_activity):
    nowhere = Client(legal_name="Sans adresse", country="CA", province="")
    with pytest.raises(ValidationError) as err:
        services.tax_preview(client=nowhere, lines=lines(("1", "10.00")))
    assert "province" in str(err.value.message_dict["client"])


def test_an_invalid_coop_registration_number_stops_the_issue(
    camille, camille_activity, client_qc, sylvie, settings
):
    settings.MAILLE_COOP_GST_NUMBER = "123456789RT0001"  # bad check digit
    invoice = draft(camille, camille_activity, client_qc)
    with pytest.raises(InvoiceNotIssuable) as err:
        services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert any("numéro de TPS/TVH de la coopérative" in p for p in err.value.problems)
    assert Invoice.objects.get().status == InvoiceStatus.DRAFT


def test_an_invalid_client_registration_number_stops_the_issue(
    camille, camille_activity, client_qc, sylvie
):
    Client.objects.filter(pk=client_qc.pk).update(qst_number="12TQ")
    invoice = draft(camille, camille_activity, client_qc)
    with pytest.raises(InvoiceNotIssuable) as err:
        services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert any("numéro de TVQ du client" in p for p in err.value.problems)


def test_every_problem_is_reported_at_once(
    camille, camille_activity, client_abroad, sylvie, settings
):
    settings.MAILLE_COOP_QST_NUMBER = "oops"
    invoice = draft(camille, camille_activity, client_abroad, ("1", "0.00"))
    with pytest.raises(InvoiceNotIssuable) as err:
        services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert len(err.value.problems) == 3  # zero total, QST number, abroad undecided


def test_a_client_abroad_waits_for_staff_decision(camille, camille_activity, client_abroad, sylvie):
    invoice = draft(camille, camille_activity, client_abroad)
    with pytest.raises(InvoiceNotIssuable) as err:
        services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert "hors du Canada" in str(err.value)
    with pytest.raises(PermissionError):
        services.invoice_set_abroad_decision(
            invoice=invoice, acting_user=camille.user, decision="zero_rated"
        )
    services.invoice_set_abroad_decision(invoice=invoice, acting_user=sylvie, decision="zero_rated")
    issued = services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert (issued.tax_total, issued.total, issued.regime) == (D("0"), D("1000.00"), "export")


def test_ontario_client_pays_hst(camille, camille_activity, client_on, sylvie):
    issued = services.invoice_issue(
        invoice=draft(camille, camille_activity, client_on), acting_user=sylvie
    )
    assert [(t.code, t.amount) for t in issued.taxes.all()] == [("HST", D("130.00"))]
    assert issued.language == "en"


def test_nova_scotia_rate_is_the_one_of_the_invoice_date(camille, camille_activity, sylvie):
    from maille.tests_support.factories import ClientFactory

    halifax = ClientFactory(province="NS", city="Halifax")
    # Issued in early April 2025, one dated the day before the rate changed.
    with time_machine.travel(dt.datetime(2025, 4, 2, 15, 0, tzinfo=dt.UTC), tick=False):
        before = services.invoice_issue(
            invoice=draft(camille, camille_activity, halifax),
            acting_user=sylvie,
            issue_date=dt.date(2025, 3, 31),
        )
        after = services.invoice_issue(
            invoice=draft(camille, camille_activity, halifax),
            acting_user=sylvie,
            issue_date=dt.date(2025, 4, 1),
        )
    assert (before.tax_total, after.tax_total) == (D("150.00"), D("140.00"))


def test_an_invoice_cannot_be_dated_in_the_future(camille, camille_activity, client_qc, sylvie):
    invoice = draft(camille, camille_activity, client_qc)
    with pytest.raises(InvoiceNotIssuable):
        services.invoice_issue(
            invoice=invoice, acting_user=sylvie, issue_date=TODAY + dt.timedelta(days=1)
        )


def test_exempt_and_zero_rated_lines(camille, camille_activity, client_qc, sylvie):
    invoice = draft(
        camille,
        camille_activity,
        client_qc,
        ("1", "1000.00"),
        ("1", "200.00", "exempt", "Formation reconnue (LTA Ann. V, partie III)"),
        ("1", "300.00", "zero_rated", "Exportation"),
    )
    issued = services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert (issued.subtotal, issued.tax_total) == (D("1500.00"), D("149.75"))
    # The contribution is on the whole subtotal.
    assert issued.contribution == D("97.50")


def test_staff_issue_many_at_once(camille, camille_activity, client_qc, client_abroad, sylvie):
    good = [draft(camille, camille_activity, client_qc) for _ in range(3)]
    bad = draft(camille, camille_activity, client_abroad)
    issued, failed = services.invoice_issue_many(invoices=[*good, bad], acting_user=sylvie)
    assert [i.number for i in issued] == ["F-2026-000001", "F-2026-000002", "F-2026-000003"]
    assert list(failed) == [bad.pk]


def test_a_draft_can_be_discarded_by_its_member(camille, camille_activity, client_qc, jerome):
    invoice = draft(camille, camille_activity, client_qc)
    with pytest.raises(PermissionError):
        services.invoice_discard(invoice=invoice, acting_user=jerome.user)
    services.invoice_discard(invoice=invoice, acting_user=camille.user)
    assert not Invoice.objects.exists()


def test_issuing_one_invoice_keeps_its_query_count(
    camille, camille_activity, client_qc, sylvie, django_assert_max_num_queries
):
    """Issue 4's target (≥ 100 issues/s on PostgreSQL) rests on few round trips.

    Counted inside the test's transaction, so the issue's own transaction is
    a savepoint pair here. PostgreSQL: lock and read the draft, its lines,
    the contribution policy, the number, the invoice, its history row, its
    taxes; then the ledger: the co-op and fund activities, its counter lock,
    the idempotency keys, the accounts, closed periods, the entries' ids
    (one nextval round trip, so that entries and lines go by COPY, not
    counted), the balances and the counter. SQLite moves the counter and
    inserts the lines in two more statements.
    """
    services.invoice_issue(  # the first issue of a year creates its counter row
        invoice=draft(camille, camille_activity, client_qc), acting_user=sylvie
    )
    invoice = draft(camille, camille_activity, client_qc)
    with django_assert_max_num_queries(17 if connection.vendor == "postgresql" else 18):
        issued = services.invoice_issue(invoice=invoice, acting_user=sylvie)
    assert issued.number == "F-2026-000002"
    keys = set(JournalEntry.objects.values_list("idempotency_key", flat=True))
    assert {"invoicing:F-2026-000002:issue", "invoicing:F-2026-000002:contribution"} <= keys
