"""The taxes a quote shows: the rates in force on the quote date.

Only the sales-tax module (``maille.taxes``, below quotes and invoices) is
used here, so quotes stay below invoices in the layering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from maille.core.money import ZERO
from maille.taxes import sales as taxes


def quote_taxes(quote: Any) -> taxes.TaxResult:
    lines = [
        taxes.TaxLine(line.amount, taxes.Treatment(line.tax_treatment))
        for line in quote.lines.all()
    ]
    client = quote.client
    return taxes.compute(
        lines=lines,
        on=quote.quote_date,
        country=client.country,
        province=client.province,
        home_province=settings.MAILLE_COOP_PROVINCE,
    )


@dataclass(frozen=True)
class Preview:
    """The totals the quote form shows as the member types."""

    subtotal: Decimal
    result: taxes.TaxResult | None  # None until a client with an address is chosen

    @property
    def total(self) -> Decimal | None:
        return self.result.total if self.result is not None else None


def preview_taxes(*, client: Any, on: dt.date, rows: list[tuple[Decimal, Decimal, str]]) -> Preview:
    """Subtotal, taxes and total of lines (quantity, unit price, tax treatment)
    not saved yet, by the same rules as the documents."""
    lines = [
        taxes.TaxLine(taxes.line_amount(quantity, price), taxes.Treatment(treatment))
        for quantity, price, treatment in rows
    ]
    subtotal = sum((line.amount for line in lines), ZERO)
    if client is None:
        return Preview(subtotal, None)
    try:
        result = taxes.compute(
            lines=lines,
            on=on,
            country=client.country,
            province=client.province,
            home_province=settings.MAILLE_COOP_PROVINCE,
        )
    except taxes.TaxError:
        return Preview(subtotal, None)
    return Preview(subtotal, result)
