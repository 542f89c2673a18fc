"""CAMT.053 (ISO 20022 bank-to-customer statement), any version of the schema.

Read with lxml with entity resolution, DTD loading and network access off and
no huge-tree mode: a file declaring a DOCTYPE or an entity is refused outright
(an "XML bomb" or an external entity has no place in a bank statement).

``BkToCstmrStmt/Stmt``: ``Acct/Id`` (``Othr/Id`` or ``IBAN``), ``Bal`` with
``Tp/CdOrPrtry/Cd`` ``OPBD``/``CLBD``; each ``Ntry``: ``Amt@Ccy``,
``CdtDbtInd``, ``BookgDt``, ``ValDt``, ``AcctSvcrRef``, ``AddtlNtryInf``;
``NtryDtls/TxDtls``: ``Refs/EndToEndId``, the payer ``RltdPties/Dbtr/Nm``
(or ``Dbtr/Pty/Nm``, ``UltmtDbtr``), remittance ``RmtInf/Ustrd`` or
``RmtInf/Strd/CdtrRefInf/Ref``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from maille.payments.parsers.common import (
    Problems,
    Statement,
    Transaction,
    amount_of,
    date_of,
    digits,
    refuse,
    refuse_declarations,
)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(element: Any, path: str) -> Any:
    """The first descendant along ``a/b/c`` by local names (namespaces vary by version)."""
    current = [element]
    for name in path.split("/"):
        current = [c for e in current for c in e if _local(c.tag) == name]
        if not current:
            return None
    return current[0]


def _all(element: Any, path: str) -> list[Any]:
    current = [element]
    for name in path.split("/"):
        current = [c for e in current for c in e if _local(c.tag) == name]
    return current


def _text(element: Any, path: str) -> str:
    found = _find(element, path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _day(element: Any, path: str) -> str:
    return (_text(element, f"{path}/Dt") or _text(element, f"{path}/DtTm"))[:10]


def parse_camt(data: bytes) -> Statement:
    from lxml import etree

    refuse_declarations(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise refuse(_("the XML is malformed (%(e)s).") % {"e": exc.msg}, line) from None
    statements = _all(root, "BkToCstmrStmt/Stmt")
    if len(statements) != 1:
        raise refuse(_("The CAMT.053 file must hold exactly one account's statement."))
    stmt = statements[0]
    statement = Statement(format="camt053", encoding="utf-8")
    statement.account = digits(_text(stmt, "Acct/Id/Othr/Id") or _text(stmt, "Acct/Id/IBAN")[-12:])
    statement.currency = _text(stmt, "Acct/Ccy")
    problems = Problems()
    for bal in _all(stmt, "Bal"):
        code = _text(bal, "Tp/CdOrPrtry/Cd")
        amount_el = _find(bal, "Amt")
        try:
            value = amount_of(amount_el.text if amount_el is not None else "")
        except ValueError as exc:
            problems.add(bal.sourceline, str(exc))
            continue
        if _text(bal, "CdtDbtInd") == "DBIT":
            value = -value
        if code in ("OPBD", "PRCD"):
            statement.opening_balance = value
        elif code in ("CLBD",):
            statement.closing_balance = value
    for field, attr in (("FrDtTm", "start"), ("ToDtTm", "end")):
        raw = _text(stmt, f"FrToDt/{field}")[:10]
        if raw:
            try:
                setattr(statement, attr, date_of(raw, "%Y-%m-%d"))
            except ValueError as exc:
                problems.add(None, str(exc))
    for entry in _all(stmt, "Ntry"):
        line_no = entry.sourceline
        # Booked entries only: a pending one (PDNG) or an information (INFO)
        # is not money moved yet; it comes back booked in a later statement.
        status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
        if status and status != "BOOK":
            continue
        amount_el = _find(entry, "Amt")
        try:
            amount = amount_of(amount_el.text if amount_el is not None else "")
            date = date_of(_day(entry, "BookgDt") or _day(entry, "ValDt"), "%Y-%m-%d")
        except ValueError as exc:
            problems.add(line_no, str(exc))
            continue
        if amount < 0:
            problems.add(
                line_no, _("an amount is written without a sign: CdtDbtInd gives its direction.")
            )
            continue
        currency = amount_el.get("Ccy", "") if amount_el is not None else ""
        if statement.currency and currency and currency != statement.currency:
            problems.add(
                line_no,
                _("this entry is in %(c)s, the statement in %(s)s.")
                % {"c": currency, "s": statement.currency},
            )
            continue
        indicator = _text(entry, "CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            problems.add(line_no, _("CdtDbtInd must be CRDT or DBIT."))
            continue
        if indicator == "DBIT":
            amount = -abs(amount)
        if amount == 0:
            continue
        tx = _find(entry, "NtryDtls/TxDtls")
        party = "Dbtr" if amount > 0 else "Cdtr"
        name = ""
        remittance = ""
        end_to_end = ""
        if tx is not None:
            name = (
                _text(tx, f"RltdPties/{party}/Nm")
                or _text(tx, f"RltdPties/{party}/Pty/Nm")
                or _text(tx, f"RltdPties/Ultmt{party}/Nm")
                or _text(tx, f"RltdPties/Ultmt{party}/Pty/Nm")
            )
            end_to_end = _text(tx, "Refs/EndToEndId")
            if end_to_end.upper() == "NOTPROVIDED":
                end_to_end = ""
            remittance = " ".join(
                [(u.text or "").strip() for u in _all(tx, "RmtInf/Ustrd")]
                + [
                    (r.text or "").strip()
                    for r in _all(tx, "RmtInf/Strd/CdtrRefInf/Ref")
                    + _all(tx, "RmtInf/Strd/RfrdDocInf/Nb")
                ]
            ).strip()
        info = _text(entry, "AddtlNtryInf")
        statement.transactions.append(
            Transaction(
                line_no=line_no,
                date=date,
                amount=amount,
                description=" / ".join(p for p in (name, info) if p)[:500],
                payer_name=name if amount > 0 else "",
                reference=_text(entry, "AcctSvcrRef") or end_to_end,
                end_to_end_id=end_to_end,
                remittance=remittance[:500],
            )
        )
    problems.raise_if_any()
    return statement
