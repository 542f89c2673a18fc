"""A period's expenses for the accountant: one CSV and the receipt files, in a zip.

The CSV has one row per claim and per supplier invoice (amounts as strings
with two decimals, a point as separator), and names each receipt's file in
the zip (``receipts/<kind>-<id>.<ext>``; empty for a mileage line and for a
file deleted at the end of its retention). Files are read from the storage one
at a time and written into a spooled temporary file, so a large period does
not sit in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from typing import IO

from django.core.files.storage import default_storage

from maille.expenses.models import Receipt
from maille.expenses.selectors import period_claims, period_purchases

HEADER = (
    "kind",
    "id",
    "date",
    "status",
    "member",
    "activity",
    "supplier",
    "supplier_province",
    "invoice_number",
    "category",
    "description",
    "amount",
    "gst_hst",
    "qst",
    "itc",
    "itr",
    "net_cost",
    "supplier_gst_number",
    "supplier_qst_number",
    "km",
    "purpose",
    "receipt",
)


def _file_name(kind: str, pk: int, receipt: Receipt | None) -> str:
    if receipt is None or receipt.purged_on is not None or not receipt.file.name:
        return ""  # a mileage line, or a file deleted at the end of its retention
    extension = str(receipt.file.name).rsplit(".", 1)[-1]
    return f"receipts/{kind}-{pk}.{extension}"


def expenses_export(*, start: dt.date, end: dt.date) -> IO[bytes]:
    """The zip (a temporary file, at its start) of the claims and purchases of the period."""
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (returned open)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    files: list[tuple[str, Receipt]] = []
    for c in period_claims(start=start, end=end):
        name = _file_name("claim", c.pk, c.receipt)
        writer.writerow(
            (
                "claim",
                c.pk,
                c.date.isoformat(),
                c.status,
                c.member.number,
                c.activity.code,
                c.supplier,
                c.supplier_province,
                "",
                c.category,
                c.description,
                c.amount,
                c.gst_hst,
                c.qst,
                c.itc,
                c.itr,
                c.net_cost,
                c.supplier_gst_number,
                c.supplier_qst_number,
                c.km if c.km is not None else "",
                c.purpose,
                name,
            )
        )
        if c.receipt is not None and name:
            files.append((name, c.receipt))
    for p in period_purchases(start=start, end=end):
        name = _file_name("purchase", p.pk, p.receipt)
        writer.writerow(
            (
                "purchase",
                p.pk,
                p.date.isoformat(),
                p.status,
                "",
                p.activity.code,
                p.supplier,
                p.supplier_province,
                p.invoice_number,
                p.category,
                p.description,
                p.amount,
                p.gst_hst,
                p.qst,
                p.itc,
                p.itr,
                p.net_cost,
                p.supplier_gst_number,
                p.supplier_qst_number,
                "",
                "",
                name,
            )
        )
        if p.receipt is not None and name:
            files.append((name, p.receipt))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("expenses.csv", text.getvalue().encode("utf-8-sig"))
        for name, receipt in files:
            with default_storage.open(str(receipt.file.name), "rb") as source:
                archive.writestr(name, source.read())
    out.seek(0)
    return out
