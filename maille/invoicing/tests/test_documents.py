"""The printed invoice (French first, every mention) and its electronic forms,
validated against the EN 16931 rules locally (XSD + schematron via saxonche)."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.utils import timezone
from pypdf import PdfReader

from maille.contracts.tests.helpers import accepted_quote, lines
from maille.invoicing import einvoice, services, validation
from maille.invoicing.documents import invoice_pdf
from maille.invoicing.models import QuoteMode

pytestmark = pytest.mark.django_db


def issue(member, activity, client, staff, *specs, **fields):
    invoice = services.invoice_create(
        activity=activity,
        client=client,
        acting_user=member.user,
        lines=lines(*(specs or (("10", "100.00"),))),
        **fields,
    )
    return services.invoice_issue(invoice=invoice, acting_user=staff)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Lines wrap where the layout decides: compare words, not lines.
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_quebec_invoice_prints_every_mention_in_french(
    camille, camille_activity, client_qc, sylvie
):
    invoice = issue(camille, camille_activity, client_qc, sylvie)
    text = pdf_text(invoice_pdf(invoice))
    for expected in (
        "Facture",
        invoice.number,
        "Maille, coopérative de travail",
        "812345676 RT0001",
        "1201234567 TQ0001",  # the co-op's registration numbers
        "Éditions du Fleuve inc.",  # the purchaser
        "Date de la facture",
        invoice.issue_date.isoformat(),
        "Date d'échéance",
        invoice.due_date.isoformat(),
        "TPS (5 %)",
        "50,00",
        "TVQ (9,975 %)",
        "99,75",
        "1 149,75",
        "Description des services",
        "Travail 1",
        "Modalités de paiement",
        "30 jours",
        "12 %",
        "Virement bancaire",
        "815-30001-1234567",
        "Virement Interac",
        "paiement@maille.coop",
        "Camille Tremblay",
        camille_activity.code,
    ):
        assert expected in text, expected
    assert "Invoice" not in text  # a French client gets a French document
    for forbidden in ("14,975", "14.975", "14,97", "9,97 %"):
        assert forbidden not in text


def test_an_english_client_gets_french_first_then_english(
    camille, camille_activity, client_on, sylvie
):
    text = pdf_text(invoice_pdf(issue(camille, camille_activity, client_on, sylvie)))
    assert "Facture / Invoice" in text
    assert text.index("Date de la facture") < text.index("Invoice date")
    assert "TVH / HST (13 %)" in text


def test_a_credit_note_names_the_invoice_it_corrects(camille, camille_activity, client_qc, sylvie):
    invoice = issue(camille, camille_activity, client_qc, sylvie)
    note = services.credit_note_create(
        invoice=invoice, acting_user=sylvie, reason="Travail non livré"
    )
    note = services.invoice_issue(invoice=note, acting_user=sylvie)
    text = pdf_text(invoice_pdf(note))
    assert "Note de crédit" in text
    assert invoice.number in text and "Travail non livré" in text


def test_the_invoice_pdf_is_pdfa3_with_valid_facturx(camille, camille_activity, client_qc, sylvie):
    from facturx import get_facturx_xml_from_pdf

    pdf = invoice_pdf(issue(camille, camille_activity, client_qc, sylvie))
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.xmp_metadata
    assert metadata is not None
    xmp = metadata.stream.get_data().decode()  # type: ignore[union-attr]
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    filename, xml = get_facturx_xml_from_pdf(pdf)
    assert filename == "factur-x.xml"
    assert validation.xsd_errors(xml, "cii") == []
    assert validation.schematron_errors(xml, "cii") == []


@pytest.fixture
def mixed_invoice(camille, camille_activity, client_qc, sylvie):
    return issue(
        camille,
        camille_activity,
        client_qc,
        sylvie,
        ("7.5", "88.88"),
        ("1", "200.00", "exempt", "Formation professionnelle (LTA Ann. V)"),
        ("2", "150.00", "zero_rated", "Fourniture détaxée"),
    )


def _valid_ubl(invoice, schema="ubl-invoice"):
    xml = einvoice.ubl_xml(invoice)
    assert validation.xsd_errors(xml, schema) == []
    assert validation.schematron_errors(xml, "ubl") == []
    return xml


def test_ubl_quebec_with_exempt_and_zero_rated_lines(mixed_invoice):
    xml = _valid_ubl(mixed_invoice)
    assert b"CA812345676RT0001" in xml
    assert b"<cbc:Percent>14.975</cbc:Percent>" in xml  # GST + QST combined, XML only
    cii = einvoice.cii_xml(mixed_invoice)
    assert validation.schematron_errors(cii, "cii") == []


def test_ubl_ontario_hst(camille, camille_activity, client_on, sylvie):
    xml = _valid_ubl(issue(camille, camille_activity, client_on, sylvie))
    assert b"<cbc:Percent>13</cbc:Percent>" in xml


def test_ubl_export_zero_rated(camille, camille_activity, client_abroad, sylvie):
    invoice = services.invoice_create(
        activity=camille_activity,
        client=client_abroad,
        acting_user=camille.user,
        lines=lines(("3", "333.33")),
    )
    services.invoice_set_abroad_decision(invoice=invoice, acting_user=sylvie, decision="zero_rated")
    xml = _valid_ubl(services.invoice_issue(invoice=invoice, acting_user=sylvie))
    assert b"<cbc:ID>G</cbc:ID>" in xml


def test_ubl_credit_note(mixed_invoice, sylvie):
    line = mixed_invoice.lines.first()
    note = services.credit_note_create(
        invoice=mixed_invoice,
        acting_user=sylvie,
        reason="Rabais consenti",
        amounts={line.pk: D("100.00")},
    )
    note = services.invoice_issue(invoice=note, acting_user=sylvie)
    xml = _valid_ubl(note, "ubl-creditnote")
    assert b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" in xml
    assert mixed_invoice.number.encode() in xml
    assert validation.schematron_errors(einvoice.cii_xml(note), "cii") == []


def test_ubl_invoice_from_a_quote_half_cent_amounts(camille, camille_activity, client_qc, sylvie):
    quote = accepted_quote(
        camille, camille_activity, client_qc, sylvie, ("3", "33.33"), ("0.125", "0.10")
    )
    invoice = services.invoice_create_from_quote(
        quote=quote, acting_user=camille.user, mode=QuoteMode.WHOLE
    )
    xml = _valid_ubl(
        services.invoice_issue(invoice=invoice, acting_user=sylvie, issue_date=timezone.localdate())
    )
    assert quote.number.encode() in xml


def test_the_validator_catches_a_broken_invoice(mixed_invoice):
    xml = einvoice.ubl_xml(mixed_invoice).replace(b"CA812345676RT0001", b"812345676RT0001")
    assert any("BR-CO-09" in e for e in validation.schematron_errors(xml, "ubl"))
