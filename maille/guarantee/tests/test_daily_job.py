"""The daily job: advances what became eligible, idempotent, the CLI's JSON."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from maille.guarantee import job, services
from maille.guarantee.models import Advance
from maille.guarantee.tests.conftest import D
from maille.invoicing import services as invoicing
from maille.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def run_json(on=ON):
    out = StringIO()
    call_command("guarantee", "run", "--date", on.isoformat(), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_contract_recorded_by_staff_is_advanced_by_the_next_run_and_only_once(
    issue_plain, camille_activity, client_qc, sylvie
):
    invoice = issue_plain(camille_activity, client_qc)
    assert run_json() == {
        "eligible": 0,
        "advanced": 0,
        "settled": 0,
        "absorbed": 0,
        "amount_advanced": "0.00",
    }
    services.contract_record_signed(
        invoice=invoice,
        signed_on=dt.date(2026, 6, 12),
        reference="Contrat papier 42",
        acting_user=sylvie,
    )
    assert run_json() == {
        "eligible": 1,
        "advanced": 1,
        "settled": 0,
        "absorbed": 0,
        "amount_advanced": "935.00",
    }
    entries = JournalEntry.objects.count()
    assert run_json()["advanced"] == 0
    assert run_json()["eligible"] == 1
    assert JournalEntry.objects.count() == entries
    advance = Advance.objects.get(invoice=invoice)
    # Counted from the signing known on June 15: 7 working days → June 24 is
    # the Fête nationale, so June 25 at the latest.
    assert advance.pay_by <= dt.date(2026, 6, 25)


def test_a_credit_note_claws_the_advance_back(
    issue_accepted, camille, camille_activity, client_qc, sylvie
):
    from maille.guarantee.tests.test_ledger_stories import fund_sum
    from maille.ledger import accounts

    invoice = issue_accepted(camille, camille_activity, client_qc)
    line = invoice.lines.get()
    note = invoicing.credit_note_create(
        invoice=invoice, acting_user=sylvie, reason="Prix revu", amounts={line.pk: D("400.00")}
    )
    invoicing.invoice_issue(invoice=note, acting_user=sylvie, issue_date=dt.date(2026, 6, 10))
    result = job.guarantee_run(on=ON)
    assert result.clawed_back == 1
    # 600 $ left, 6.5 % contribution: 561 $ advanced.
    assert fund_sum(accounts.GUARANTEE_ADVANCES) == D("561.00")
    assert job.guarantee_run(on=ON).clawed_back == 0


def test_an_excluded_client_or_a_dispute_stops_new_advances(
    issue_plain, camille_activity, client_qc, sylvie
):
    invoice = issue_plain(camille_activity, client_qc)
    services.contract_record_signed(
        invoice=invoice, signed_on=dt.date(2026, 6, 12), reference="C-1", acting_user=sylvie
    )
    services.dispute_open(invoice=invoice, on=ON, reason="Travail incomplet", acting_user=sylvie)
    assert run_json()["advanced"] == 0
    services.dispute_close(invoice=invoice, on=ON, acting_user=sylvie)
    services.client_exclude(client_id=client_qc.pk, reason="Défaut", on=ON, acting_user=sylvie)
    assert run_json()["advanced"] == 0
    services.client_readmit(client_id=client_qc.pk, on=ON, acting_user=sylvie)
    assert run_json()["advanced"] == 1


def test_advances_pause_under_the_coverage_floor(issue_plain, camille_activity, client_qc, sylvie):
    from maille.guarantee.models import GuaranteePolicy

    GuaranteePolicy.objects.update(coverage_floor=D("200"))  # 100 000 $ cover 500 $ at most
    invoice = issue_plain(camille_activity, client_qc)
    services.contract_record_signed(
        invoice=invoice, signed_on=dt.date(2026, 6, 12), reference="C-1", acting_user=sylvie
    )
    result = job.guarantee_run(on=ON)
    assert (result.eligible, result.advanced, result.paused) == (1, 0, True)


def test_excluding_a_client_that_does_not_exist_is_refused(sylvie):
    from maille.guarantee.exceptions import GuaranteeInputError

    with pytest.raises(GuaranteeInputError) as exc:
        services.client_exclude(client_id=999999, reason="x", on=ON, acting_user=sylvie)
    assert "client_id" in exc.value.problems


def test_a_bad_date_on_the_command_line_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("guarantee", "run", "--date", "2026-13-45", "--json")
