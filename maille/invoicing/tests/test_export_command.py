"""``maille invoice export``: the three formats, validation, and a clear refusal."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from maille.contracts.tests.helpers import lines
from maille.invoicing import services, validation

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(camille, camille_activity, client_qc, sylvie):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=lines(("10", "100.00")),
    )
    return services.invoice_issue(invoice=draft, acting_user=sylvie)


@pytest.mark.parametrize(
    ("fmt", "start"), [("pdf", b"%PDF"), ("ubl", b"<?xml"), ("facturx", b"<?xml")]
)
def test_export_writes_each_format(invoice, tmp_path, fmt, start):
    out = tmp_path / f"out.{fmt}"
    call_command("invoice", "export", invoice.number, "--format", fmt, "-o", str(out), "--check")
    content = out.read_bytes()
    assert content.startswith(start)
    if fmt == "ubl":
        assert validation.schematron_errors(content, "ubl") == []


def test_an_unknown_number_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No issued invoice"):
        call_command("invoice", "export", "F-1999-000001", "--format", "pdf")
