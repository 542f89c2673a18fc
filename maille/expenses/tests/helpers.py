"""Receipt files and claims for the expense tests."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from PIL import Image
from pypdf import PdfWriter

from maille.expenses import services

DAY = dt.date(2026, 3, 10)
TODAY = dt.date(2026, 3, 20)
GST_NUMBER = "123456782RT0001"
QST_NUMBER = "1234567890TQ0001"


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (10, 20, 30)).save(out, "JPEG")
    return out.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def claim(member, activity, *, receipt: bytes | None = None, today=TODAY, **fields):
    values = {
        "date": DAY,
        "supplier": "Papeterie Saint-Denis",
        "category": "materials",
        "amount": "114.98",
        "gst_hst": "5.00",
        "qst": "9.98",
        "supplier_gst_number": GST_NUMBER,
        "supplier_qst_number": QST_NUMBER,
        **fields,
    }
    return services.expense_claim_create(
        acting_user=member.user,
        activity=activity,
        receipt=io.BytesIO(png() if receipt is None else receipt),
        receipt_name="recu.png",
        today=today,
        **values,
    )


def money(text: str) -> Decimal:
    return Decimal(text)
