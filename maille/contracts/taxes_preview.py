"""The taxes a quote shows: the rates in force on the quote date.

Only the pure tax module of ``invoicing`` is used here (no invoicing model),
so quotes stay below invoices in the layering.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from maille.invoicing import taxes


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
