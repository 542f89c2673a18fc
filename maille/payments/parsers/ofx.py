"""OFX 1.x (SGML) and 2.x (XML) statements, QFX included, tokenised by ofxtools.

``ofxtools.Parser.OFXTree`` reads the header and builds the element tree (its
own regular-expression tokeniser: no XML entities, no DTD, no network). The
fields are read here rather than by ofxtools' strict model conversion, so a
bank's small deviations pass and each bad value is named with its line.

``STMTTRN``: ``TRNTYPE``, ``DTPOSTED``, ``TRNAMT`` (signed), ``FITID``,
``NAME`` (the counterparty, 32 characters in OFX 1), ``MEMO``, ``CHECKNUM``,
``REFNUM``. ``BANKACCTFROM``: ``BANKID`` (the institution, or ``0`` +
institution + transit, e.g. ``081530001``), ``ACCTID``.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import unescape

from django.utils.translation import gettext as _

from maille.payments.parsers.common import (
    Problems,
    Statement,
    Transaction,
    amount_of,
    date_of,
    decode,
    digits,
    refuse,
    refuse_declarations,
)

_CHARSET = re.compile(r"^(\s*CHARSET:)\s*[\w-]+", re.IGNORECASE | re.MULTILINE)
_XML_ENTITIES = {"&quot;": '"', "&apos;": "'"}  # &amp; &lt; &gt; are unescape's own


def _text(element: ET.Element | None, tag: str) -> str:
    """The element's text, its character entities read (``R&amp;D`` is ``R&D``)."""
    if element is None:
        return ""
    found = element.find(tag)
    return unescape((found.text or "").strip(), _XML_ENTITIES) if found is not None else ""


def _as_utf8(text: str) -> bytes:
    """The statement for ofxtools, in UTF-8 with a header that says so.

    ofxtools decodes the body by the OFX 1 header's CHARSET (``1252``,
    ``ISO-8859-1``); the text is already decoded here (``decode``: a file
    that says 1252 is often UTF-8), so the header is set to ``NONE``, which
    ofxtools reads as UTF-8. An OFX 2 (XML) file is UTF-8 by its spec."""
    start = text.find("<")  # the OFX 1 header is the lines before the first tag
    header = _CHARSET.sub(r"\1NONE", text[:start], count=1)
    return (header + text[start:]).encode("utf-8")


def _date(raw: str) -> str:
    return raw.strip()[:8]


def parse_ofx(data: bytes, fmt: str) -> Statement:
    from ofxtools.Parser import OFXTree

    refuse_declarations(data)
    text, encoding = decode(data)
    if not text.rstrip().upper().endswith("</OFX>"):
        raise refuse(
            _("the file ends before </OFX>: it is truncated."), text.rstrip().count("\n") + 1
        )
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(_as_utf8(text)))
    except Exception as exc:  # ofxtools raises ParseError, ValueError or IndexError
        raise refuse(_("The OFX file cannot be read: %(e)s") % {"e": str(exc)[:200]}) from None
    root = tree.getroot()
    if root is None:
        raise refuse(_("The OFX file has no statement."))
    statements = root.findall(".//STMTRS") + root.findall(".//CCSTMTRS")
    if len(statements) != 1:
        raise refuse(_("The OFX file must hold exactly one account's statement."))
    stmt = statements[0]
    statement = Statement(format=fmt, encoding=encoding, currency=_text(stmt, "CURDEF"))
    account = stmt.find("BANKACCTFROM")
    bank_id = digits(_text(account, "BANKID"))
    if len(bank_id) == 9 and bank_id.startswith("0"):
        statement.institution, statement.transit = bank_id[1:4], bank_id[4:]
    elif len(bank_id) == 8:  # institution + transit, the leading 0 dropped
        statement.institution, statement.transit = bank_id[:3], bank_id[3:]
    elif len(bank_id) in (3, 4):
        statement.institution = bank_id[-3:]
    statement.transit = statement.transit or digits(_text(account, "BRANCHID"))
    statement.account = digits(_text(account, "ACCTID"))
    problems = Problems()
    # Line numbers: the n-th <STMTTRN> in the text is the n-th transaction.
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<STMTTRN>", text, re.I)]
    for n, trn in enumerate(stmt.findall("BANKTRANLIST/STMTTRN")):
        line_no = starts[n] if n < len(starts) else 0
        try:
            date = date_of(_date(_text(trn, "DTPOSTED")), "%Y%m%d")
            amount = amount_of(_text(trn, "TRNAMT"))
        except ValueError as exc:
            problems.add(line_no, str(exc))
            continue
        if amount == 0:
            continue
        name, memo = _text(trn, "NAME"), _text(trn, "MEMO")
        payee = trn.find("PAYEE")
        if not name and payee is not None:
            name = _text(payee, "NAME")
        statement.transactions.append(
            Transaction(
                line_no=line_no,
                date=date,
                amount=amount,
                description=" / ".join(p for p in (name, memo) if p),
                payer_name=name if amount > 0 else "",
                reference=_text(trn, "FITID") or _text(trn, "REFNUM") or _text(trn, "CHECKNUM"),
                remittance=memo,
            )
        )
    for tag, attr in (("LEDGERBAL", "closing_balance"),):
        balance = stmt.find(tag)
        if balance is not None and _text(balance, "BALAMT"):
            try:
                setattr(statement, attr, amount_of(_text(balance, "BALAMT")))
            except ValueError as exc:
                problems.add(None, str(exc))
    tranlist = stmt.find("BANKTRANLIST")
    for tag, attr in (("DTSTART", "start"), ("DTEND", "end")):
        raw = _date(_text(tranlist, tag))
        if raw:
            try:
                setattr(statement, attr, date_of(raw, "%Y%m%d"))
            except ValueError as exc:
                problems.add(None, str(exc))
    problems.raise_if_any()
    return statement
