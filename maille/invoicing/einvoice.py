"""Electronic invoices: UBL 2.1 (Peppol BIS Billing 3.0) and Factur-X CII, per EN 16931.

Both are built from one neutral description of an issued invoice
(``describe``). EN 16931 knows one VAT per line; Canada may have two (GST and
QST in Québec). The mapping (docs/decisions/0004-invoicing.md):

- a taxable line is category ``S`` at the rate of the sales taxes of its place
  of supply combined (Québec: 5 + 9.975; HST provinces: the HST; elsewhere
  5); the tax breakdown carries the GST and QST amounts as stored on the
  invoice, added up, and a note (BT-22) states each tax separately with the
  co-op's two registration numbers. The combined rate exists only in the XML,
  never on the printed document (Revenu Québec forbids printing 14.975 %);
- zero-rated lines are ``Z``, exempt lines ``E`` (with the reason), a service
  exported outside Canada ``G``; internal invoices are ``O`` (not subject);
- the seller VAT identifier (BT-31) is the GST/HST number prefixed ``CA``
  (BR-CO-09); the QST number is the seller tax registration (BT-32).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from maille.contracts.coop import coop
from maille.core.money import ZERO, money_str
from maille.invoicing.models import Invoice

UNIT_CODES = {"hour": "HUR", "day": "DAY", "unit": "C62", "flat": "LS", "word": "C62"}
EXPORT_REASON = "Export outside Canada — zero-rated (ETA Sch. VI Part V; QST Act s. 185)"


@dataclass
class Party:
    name: str
    street: str
    city: str
    postal_code: str
    subdivision: str
    country: str
    vat_id: str = ""
    tax_id: str = ""
    legal_id: str = ""
    email: str = ""


@dataclass
class Line:
    id: str
    name: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal
    category: str
    percent: Decimal | None


@dataclass
class Breakdown:
    category: str
    percent: Decimal | None
    base: Decimal
    amount: Decimal
    reason: str = ""


@dataclass
class Described:
    number: str
    credit_note: bool
    issue_date: str
    due_date: str
    notes: list[str]
    buyer_reference: str
    contract_reference: str
    preceding: tuple[str, str] | None
    seller: Party
    buyer: Party
    payment_terms: str
    payment_account: str
    lines: list[Line] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    line_total: Decimal = ZERO
    tax_total: Decimal = ZERO
    total: Decimal = ZERO


def _category(invoice: Invoice, treatment: str) -> tuple[str, Decimal | None]:
    if invoice.is_internal:
        return "O", None
    if treatment == "exempt":
        return "E", Decimal(0)
    if invoice.regime == "export":
        return "G", Decimal(0)
    if treatment == "zero_rated":
        return "Z", Decimal(0)
    combined = sum((t.rate * 100 for t in invoice.taxes.all()), Decimal(0))
    return "S", Decimal(format(combined.normalize(), "f"))


def describe(invoice: Invoice) -> Described:
    if invoice.is_draft or not invoice.number or invoice.issue_date is None:
        raise ValueError("only an issued invoice has an electronic form")
    info = coop()
    seller = Party(
        name=info.name,
        street=info.street,
        city=info.city,
        postal_code=info.postal_code,
        subdivision=info.province,
        country="CA",
        vat_id=f"CA{invoice.seller_gst}",
        tax_id=invoice.seller_qst,
        legal_id=info.neq,
        email=info.email,
    )
    client = invoice.client
    buyer = Party(
        name=invoice.buyer_name,
        street=client.street if client else info.street,
        city=client.city if client else info.city,
        postal_code=client.postal_code if client else info.postal_code,
        subdivision=client.province if client else info.province,
        country=invoice.buyer_country or "CA",
        vat_id=f"CA{invoice.buyer_gst}" if invoice.buyer_gst else "",
        tax_id=invoice.buyer_qst,
    )
    internal = invoice.is_internal
    if internal:
        seller.vat_id = seller.tax_id = ""  # BR-O-02: no VAT identifier with category O
    taxes = list(invoice.taxes.all())
    notes = []
    if taxes:
        notes.append(
            "; ".join(
                f"{t.code} {format((t.rate * 100).normalize(), 'f')} %: {t.amount} CAD"
                for t in taxes
            )
            + f". GST/HST {info.gst_display}; QST {info.qst_display}."
        )
    if invoice.is_credit_note and invoice.reason:
        notes.append(invoice.reason)
    if invoice.quote_mode == "final":
        notes.append("Final invoice after cancellation by the client (C.C.Q. arts. 2125, 2129).")
    lines = []
    groups: dict[tuple[str, Decimal | None, str], Decimal] = {}
    for i, line in enumerate(invoice.lines.all(), start=1):
        category, percent = _category(invoice, line.tax_treatment)
        lines.append(
            Line(
                id=str(i),
                name=line.description[:200],
                quantity=line.quantity,
                unit_code=UNIT_CODES.get(line.unit, "C62"),
                unit_price=line.unit_price,
                amount=line.amount,
                category=category,
                percent=percent,
            )
        )
        reason = ""
        if category == "E":
            reason = line.treatment_reason or "Exempt supply"
        elif category == "G":
            reason = EXPORT_REASON
        key = (category, percent, reason)
        groups[key] = groups.get(key, ZERO) + line.amount
    breakdowns = [
        Breakdown(
            category=c,
            percent=p,
            base=base,
            amount=invoice.tax_total if c == "S" else ZERO,
            reason=r,
        )
        for (c, p, r), base in groups.items()
    ]
    preceding = None
    if invoice.is_credit_note and invoice.corrects and invoice.corrects.issue_date:
        preceding = (invoice.corrects.number or "", invoice.corrects.issue_date.isoformat())
    terms = (
        f"Net {invoice.payment_term_days} days; late interest "
        f"{format(invoice.late_interest_rate.normalize(), 'f')} % a year. "
        f"Interac e-Transfer: {info.interac_email}; reference {invoice.number}."
    )
    return Described(
        number=invoice.number,
        credit_note=invoice.is_credit_note,
        issue_date=invoice.issue_date.isoformat(),
        due_date=invoice.due_date.isoformat() if invoice.due_date else "",
        notes=notes,
        buyer_reference=invoice.client_reference or invoice.number,
        contract_reference=invoice.quote.number if invoice.quote else "",
        preceding=preceding,
        seller=seller,
        buyer=buyer,
        payment_terms=terms,
        payment_account=info.bank_account,
        lines=lines,
        breakdowns=breakdowns,
        line_total=invoice.subtotal,
        tax_total=invoice.tax_total,
        total=invoice.total,
    )


# ------------------------------------------------------------------ UBL 2.1

UBL_NS = {
    "invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "credit": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


class _Ubl:
    def __init__(self, root: etree._Element) -> None:
        self.root = root

    def cbc(self, parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, f"{{{CBC}}}{tag}", attrs)
        el.text = text
        return el

    def cac(self, parent: etree._Element, tag: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{tag}")

    def party(self, parent: etree._Element, tag: str, p: Party) -> None:
        party = self.cac(self.cac(parent, tag), "Party")
        self.cbc(self.cac(party, "PartyName"), "Name", p.name)
        address = self.cac(party, "PostalAddress")
        if p.street:
            self.cbc(address, "StreetName", p.street)
        if p.city:
            self.cbc(address, "CityName", p.city)
        if p.postal_code:
            self.cbc(address, "PostalZone", p.postal_code)
        if p.subdivision:
            self.cbc(address, "CountrySubentity", p.subdivision)
        self.cbc(self.cac(address, "Country"), "IdentificationCode", p.country)
        if p.vat_id:
            scheme = self.cac(party, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", p.vat_id)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        if p.tax_id:
            scheme = self.cac(party, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", p.tax_id)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "QST")
        legal = self.cac(party, "PartyLegalEntity")
        self.cbc(legal, "RegistrationName", p.name)
        if p.legal_id:
            self.cbc(legal, "CompanyID", p.legal_id)
        if p.email:
            self.cbc(self.cac(party, "Contact"), "ElectronicMail", p.email)

    def category(
        self,
        parent: etree._Element,
        tag: str,
        category: str,
        percent: Decimal | None,
        reason: str = "",
    ) -> None:
        cat = self.cac(parent, tag)
        self.cbc(cat, "ID", category)
        if percent is not None:
            self.cbc(cat, "Percent", _num(percent))
        if reason:
            self.cbc(cat, "TaxExemptionReason", reason)
        self.cbc(self.cac(cat, "TaxScheme"), "ID", "VAT")


def ubl_xml(invoice: Invoice) -> bytes:
    """The invoice (or credit note) as a UBL 2.1 document following Peppol BIS Billing 3.0."""
    d = describe(invoice)
    kind = "credit" if d.credit_note else "invoice"
    root_tag = "CreditNote" if d.credit_note else "Invoice"
    root = etree.Element(
        f"{{{UBL_NS[kind]}}}{root_tag}", nsmap={None: UBL_NS[kind], "cac": CAC, "cbc": CBC}
    )
    u = _Ubl(root)
    u.cbc(
        root,
        "CustomizationID",
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    )
    u.cbc(root, "ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
    u.cbc(root, "ID", d.number)
    u.cbc(root, "IssueDate", d.issue_date)
    if not d.credit_note and d.due_date:
        u.cbc(root, "DueDate", d.due_date)
    u.cbc(
        root,
        "CreditNoteTypeCode" if d.credit_note else "InvoiceTypeCode",
        "381" if d.credit_note else "380",
    )
    for note in d.notes:
        u.cbc(root, "Note", note)
    u.cbc(root, "DocumentCurrencyCode", "CAD")
    u.cbc(root, "BuyerReference", d.buyer_reference)
    if d.preceding:
        ref = u.cac(u.cac(root, "BillingReference"), "InvoiceDocumentReference")
        u.cbc(ref, "ID", d.preceding[0])
        u.cbc(ref, "IssueDate", d.preceding[1])
    if d.contract_reference:
        u.cbc(u.cac(root, "ContractDocumentReference"), "ID", d.contract_reference)
    u.party(root, "AccountingSupplierParty", d.seller)
    u.party(root, "AccountingCustomerParty", d.buyer)
    means = u.cac(root, "PaymentMeans")
    u.cbc(means, "PaymentMeansCode", "30")
    if d.credit_note and d.due_date:
        u.cbc(means, "PaymentDueDate", d.due_date)
    u.cbc(means, "PaymentID", d.number)
    u.cbc(u.cac(means, "PayeeFinancialAccount"), "ID", d.payment_account)
    u.cbc(u.cac(root, "PaymentTerms"), "Note", d.payment_terms)
    total = u.cac(root, "TaxTotal")
    u.cbc(total, "TaxAmount", money_str(d.tax_total), currencyID="CAD")
    for b in d.breakdowns:
        sub = u.cac(total, "TaxSubtotal")
        u.cbc(sub, "TaxableAmount", money_str(b.base), currencyID="CAD")
        u.cbc(sub, "TaxAmount", money_str(b.amount), currencyID="CAD")
        u.category(sub, "TaxCategory", b.category, b.percent, b.reason)
    monetary = u.cac(root, "LegalMonetaryTotal")
    u.cbc(monetary, "LineExtensionAmount", money_str(d.line_total), currencyID="CAD")
    u.cbc(monetary, "TaxExclusiveAmount", money_str(d.line_total), currencyID="CAD")
    u.cbc(monetary, "TaxInclusiveAmount", money_str(d.total), currencyID="CAD")
    u.cbc(monetary, "PayableAmount", money_str(d.total), currencyID="CAD")
    for line in d.lines:
        el = u.cac(root, "CreditNoteLine" if d.credit_note else "InvoiceLine")
        u.cbc(el, "ID", line.id)
        u.cbc(
            el,
            "CreditedQuantity" if d.credit_note else "InvoicedQuantity",
            _num(line.quantity),
            unitCode=line.unit_code,
        )
        u.cbc(el, "LineExtensionAmount", money_str(line.amount), currencyID="CAD")
        item = u.cac(el, "Item")
        u.cbc(item, "Name", line.name)
        u.category(item, "ClassifiedTaxCategory", line.category, line.percent)
        u.cbc(u.cac(el, "Price"), "PriceAmount", money_str(line.unit_price), currencyID="CAD")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# ------------------------------------------------------------------ Factur-X (CII)

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"


def _ram(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{RAM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _date(parent: etree._Element, tag: str, iso: str) -> None:
    holder = _ram(parent, tag)
    el = etree.SubElement(holder, f"{{{UDT}}}DateTimeString", format="102")
    el.text = iso.replace("-", "")


def _cii_party(parent: etree._Element, tag: str, p: Party) -> None:
    party = _ram(parent, tag)
    _ram(party, "Name", p.name)
    if p.legal_id:
        _ram(_ram(party, "SpecifiedLegalOrganization"), "ID", p.legal_id)
    address = _ram(party, "PostalTradeAddress")
    if p.postal_code:
        _ram(address, "PostcodeCode", p.postal_code)
    if p.street:
        _ram(address, "LineOne", p.street)
    if p.city:
        _ram(address, "CityName", p.city)
    _ram(address, "CountryID", p.country)
    if p.subdivision:
        _ram(address, "CountrySubDivisionName", p.subdivision)
    if p.email:
        _ram(_ram(party, "URIUniversalCommunication"), "URIID", p.email, schemeID="EM")
    if p.vat_id:
        _ram(_ram(party, "SpecifiedTaxRegistration"), "ID", p.vat_id, schemeID="VA")
    if p.tax_id:
        _ram(_ram(party, "SpecifiedTaxRegistration"), "ID", p.tax_id, schemeID="FC")


def cii_xml(invoice: Invoice) -> bytes:
    """The invoice as Factur-X (UN/CEFACT CII D16B), profile EN 16931."""
    d = describe(invoice)
    root = etree.Element(
        f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
    )
    context = etree.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
    _ram(
        _ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", "urn:cen.eu:en16931:2017"
    )
    doc = etree.SubElement(root, f"{{{RSM}}}ExchangedDocument")
    _ram(doc, "ID", d.number)
    _ram(doc, "TypeCode", "381" if d.credit_note else "380")
    _date(doc, "IssueDateTime", d.issue_date)
    for note in d.notes:
        _ram(_ram(doc, "IncludedNote"), "Content", note)
    tx = etree.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
    for line in d.lines:
        item = _ram(tx, "IncludedSupplyChainTradeLineItem")
        _ram(_ram(item, "AssociatedDocumentLineDocument"), "LineID", line.id)
        _ram(_ram(item, "SpecifiedTradeProduct"), "Name", line.name)
        agreement = _ram(item, "SpecifiedLineTradeAgreement")
        _ram(
            _ram(agreement, "NetPriceProductTradePrice"), "ChargeAmount", money_str(line.unit_price)
        )
        _ram(
            _ram(item, "SpecifiedLineTradeDelivery"),
            "BilledQuantity",
            _num(line.quantity),
            unitCode=line.unit_code,
        )
        settlement = _ram(item, "SpecifiedLineTradeSettlement")
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "TypeCode", "VAT")
        _ram(tax, "CategoryCode", line.category)
        if line.percent is not None:
            _ram(tax, "RateApplicablePercent", _num(line.percent))
        _ram(
            _ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation"),
            "LineTotalAmount",
            money_str(line.amount),
        )
    agreement = _ram(tx, "ApplicableHeaderTradeAgreement")
    _ram(agreement, "BuyerReference", d.buyer_reference)
    _cii_party(agreement, "SellerTradeParty", d.seller)
    _cii_party(agreement, "BuyerTradeParty", d.buyer)
    if d.contract_reference:
        _ram(
            _ram(agreement, "ContractReferencedDocument"), "IssuerAssignedID", d.contract_reference
        )
    _ram(tx, "ApplicableHeaderTradeDelivery")
    settlement = _ram(tx, "ApplicableHeaderTradeSettlement")
    _ram(settlement, "PaymentReference", d.number)
    _ram(settlement, "InvoiceCurrencyCode", "CAD")
    means = _ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
    _ram(means, "TypeCode", "30")
    _ram(_ram(means, "PayeePartyCreditorFinancialAccount"), "ProprietaryID", d.payment_account)
    for b in d.breakdowns:
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "CalculatedAmount", money_str(b.amount))
        _ram(tax, "TypeCode", "VAT")
        if b.reason:
            _ram(tax, "ExemptionReason", b.reason)
        _ram(tax, "BasisAmount", money_str(b.base))
        _ram(tax, "CategoryCode", b.category)
        if b.percent is not None:
            _ram(tax, "RateApplicablePercent", _num(b.percent))
    terms = _ram(settlement, "SpecifiedTradePaymentTerms")
    _ram(terms, "Description", d.payment_terms)
    if d.due_date:
        _date(terms, "DueDateDateTime", d.due_date)
    summary = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(summary, "LineTotalAmount", money_str(d.line_total))
    _ram(summary, "TaxBasisTotalAmount", money_str(d.line_total))
    _ram(summary, "TaxTotalAmount", money_str(d.tax_total), currencyID="CAD")
    _ram(summary, "GrandTotalAmount", money_str(d.total))
    _ram(summary, "DuePayableAmount", money_str(d.total))
    if d.preceding:
        ref = _ram(settlement, "InvoiceReferencedDocument")
        _ram(ref, "IssuerAssignedID", d.preceding[0])
        holder = _ram(ref, "FormattedIssueDateTime")
        el = etree.SubElement(holder, f"{{{QDT}}}DateTimeString", format="102")
        el.text = d.preceding[1].replace("-", "")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
