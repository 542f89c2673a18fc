"""Builders shared by the contracts and invoicing tests."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from maille.contracts import services
from maille.contracts.models import Decision, Quote, TrustedMember

FAKE_PDF = b"%PDF-1.7 a quote"


def lines(*specs: tuple[str, str] | tuple[str, str, str, str]) -> list[dict[str, Any]]:
    """``lines(("10", "100.00"))`` → ten hours at 100 $."""
    result = []
    for i, spec in enumerate(specs):
        quantity, price, *treatment = spec
        line = {"description": f"Travail {i + 1}", "quantity": quantity, "unit_price": price}
        if treatment:
            line["tax_treatment"], line["treatment_reason"] = treatment
        result.append(line)
    return result


def draft_quote(member, activity, client, *specs, **fields) -> Quote:
    specs = specs or (("10", "100.00"),)
    return services.quote_create(
        activity=activity,
        client=client,
        author=member,
        acting_user=member.user,
        title=fields.pop("title", "Illustrations d'un album"),
        lines=lines(*specs),
        **fields,
    )


def sent_quote(member, activity, client, staff, *specs, **fields) -> Quote:
    quote = draft_quote(member, activity, client, *specs, **fields)
    TrustedMember.objects.get_or_create(member=member, client=client)
    services.quote_submit(quote=quote, acting_user=member.user)
    return services._quote_mark_sent(quote=quote, acting_user=staff, pdf=FAKE_PDF, email=False)


def accepted_quote(member, activity, client, staff, *specs, **fields) -> Quote:
    quote = sent_quote(member, activity, client, staff, *specs, **fields)
    services.quote_decide(
        quote=quote,
        decision=Decision.ACCEPTED,
        signer_name="Nathalie Roy",
        signer_role="Directrice",
        document_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        ip_address="203.0.113.7",
        user_agent="pytest",
    )
    quote.refresh_from_db()
    return quote


def money(value: str) -> Decimal:
    return Decimal(value)


def pages_drawn(pdf: bytes) -> list[bytes]:
    """What each page of a PDF draws (its content streams), for comparing layouts."""
    import io

    from pypdf import PdfReader

    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def assert_same_layout_with_weasyprint_sheet(monkeypatch, render) -> None:
    """The documents' cut-down user-agent stylesheet lays ``render()``'s PDF out
    exactly as WeasyPrint's own sheet does: every page draws the same."""
    import weasyprint

    from maille.contracts import documents

    ours = render()
    monkeypatch.setattr(documents, "_html_class", lambda: weasyprint.HTML)
    theirs = render()
    assert pages_drawn(ours) == pages_drawn(theirs)
    assert len(pages_drawn(ours)) >= 1
