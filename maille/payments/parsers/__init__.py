"""Bank statement files → ``Statement`` (pure functions, no database).

Formats (reference/quebec-operations.md §2): OFX/QFX (ofxtools), CAMT.053
(ISO 20022, parsed with lxml without entities, DTDs or network), the
Desjardins CSV (no header, cp1252, 14 columns), the RBC CSV (header, signed
amounts, M/D/YYYY), and a generic CSV read with a column mapping saved per
bank account.

``parse`` detects the format and the encoding, checks every line and raises
``StatementRefused`` listing every problem with its line number; nothing is
returned half-read. Limits: 200 000 transactions, 10 000 characters a line,
50 MB a file.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from maille.payments.parsers.camt import parse_camt
from maille.payments.parsers.common import (
    FORMATS,
    MAX_BYTES,
    MAX_LINES,
    Problems,
    Statement,
    Transaction,
    check_common,
    check_shape,
    decode,
    detect,
    normalise,
    refuse,
)
from maille.payments.parsers.csvs import parse_csv
from maille.payments.parsers.ofx import parse_ofx

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_LINES",
    "Problems",
    "Statement",
    "Transaction",
    "detect",
    "normalise",
    "parse",
    "refuse",
]


def parse(
    data: bytes,
    *,
    fmt: str = "auto",
    filename: str = "",
    mapping: dict[str, Any] | None = None,
) -> Statement:
    """Read a statement file whole, or refuse it with every problem named."""
    check_shape(data)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if utf16:  # read once as UTF-8 text: formats and columns are detected on it
        text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding=[\"'][\w-]+[\"']", r"\1", decode(data)[0])
        data = text.encode("utf-8")
    if fmt == "auto":
        fmt = detect(data, filename)
    if fmt in ("ofx", "qfx"):
        statement = parse_ofx(data, fmt)
    elif fmt == "camt053":
        statement = parse_camt(data)
    elif fmt in ("csv-desjardins", "csv-rbc", "csv"):
        statement = parse_csv(data, fmt, mapping or {})
    else:
        raise refuse(_("%(f)s is not a statement format Maille reads.") % {"f": fmt})
    if utf16:
        statement.encoding = "utf-16"
    problems = Problems()
    check_common(statement, problems)
    problems.raise_if_any()
    return statement
