"""An invoice may name its own province of supply (a rented space is supplied
where it is): its taxes are that province's, whatever the client's address,
and the PDF says where the supply is."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.documents import invoice_context
from maille.invoicing.models import Invoice

pytestmark = pytest.mark.django_db


def test_an_ontario_client_supplied_in_quebec_pays_gst_and_qst(
    camille, camille_activity, client_on, sylvie
):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_on,
        acting_user=camille.user,
        lines=lines(("1", "100.00")),
        supply_province="QC",
    )
    issued = services.invoice_issue(invoice=draft, acting_user=sylvie)
    assert dict(issued.taxes.values_list("code", "amount")) == {
        "GST": Decimal("5.00"),
        "QST": Decimal("9.98"),
    }
    assert (issued.place_of_supply, issued.regime) == ("QC", "gst_qst")
    assert ("place_of_supply", "QC") in invoice_context(issued)["facts"]
    # The credit note follows its invoice's place of supply.
    note = services.credit_note_create(
        invoice=issued,
        acting_user=sylvie,
        reason="Annulé",
        amounts={issued.lines.get().pk: Decimal("100.00")},
    )
    assert note.supply_province == "QC"
    note = services.invoice_issue(invoice=note, acting_user=sylvie)
    assert set(note.taxes.values_list("code", flat=True)) == {"GST", "QST"}


def test_without_it_the_clients_province_decides(camille, camille_activity, client_on, sylvie):
    draft = services.invoice_create(
        activity=camille_activity,
        client=client_on,
        acting_user=camille.user,
        lines=lines(("1", "100.00")),
    )
    issued = services.invoice_issue(invoice=draft, acting_user=sylvie)
    assert dict(issued.taxes.values_list("code", "amount")) == {"HST": Decimal("13.00")}
    assert not any(key == "place_of_supply" for key, _value in invoice_context(issued)["facts"])


def test_an_unknown_province_of_supply_is_refused(camille, camille_activity, client_on):
    with pytest.raises(ValidationError) as refused:
        services.invoice_create(
            activity=camille_activity,
            client=client_on,
            acting_user=camille.user,
            lines=lines(("1", "100.00")),
            supply_province="XX",
        )
    assert "supply_province" in refused.value.message_dict
    assert not Invoice.objects.exists()
