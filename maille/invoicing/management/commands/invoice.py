"""``maille invoice export NUMBER --format pdf|ubl|facturx -o FILE``.

``pdf`` is the printed invoice (PDF/A-3 with its Factur-X XML inside),
``ubl`` the UBL 2.1 document (Peppol BIS Billing 3.0), ``facturx`` the
Factur-X (CII, EN 16931) XML alone. ``--check`` validates the XML against
the EN 16931 rules before writing it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maille.invoicing.models import Invoice


class Command(BaseCommand):
    help = "Invoices from the command line: export one as PDF, UBL or Factur-X."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write an issued invoice or credit note to a file")
        export.add_argument("number", help="the invoice number, e.g. F-2026-000042")
        export.add_argument("--format", choices=["pdf", "ubl", "facturx"], default="pdf")
        export.add_argument("-o", "--output", help="file to write (default: standard output)")
        export.add_argument(
            "--check",
            action="store_true",
            help="validate the XML against EN 16931 (XSD and schematron)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        invoice = Invoice.objects.filter(number=options["number"].strip()).first()
        if invoice is None:
            raise CommandError(f"No issued invoice has the number {options['number']!r}.")
        fmt = options["format"]
        if fmt == "pdf":
            from maille.invoicing.documents import invoice_pdf

            content = invoice_pdf(invoice)
        else:
            from maille.invoicing import einvoice, validation

            content = einvoice.ubl_xml(invoice) if fmt == "ubl" else einvoice.cii_xml(invoice)
            if options["check"]:
                kind = "ubl" if fmt == "ubl" else "cii"
                schema = (
                    "cii"
                    if kind == "cii"
                    else "ubl-creditnote"
                    if invoice.is_credit_note
                    else "ubl-invoice"
                )
                problems = validation.xsd_errors(content, schema) + validation.schematron_errors(
                    content, kind
                )
                if problems:
                    raise CommandError("Not valid EN 16931:\n" + "\n".join(problems))
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(
                f"{invoice.number}: {len(content)} bytes written to {options['output']}"
            )
        else:
            sys.stdout.buffer.write(content)
