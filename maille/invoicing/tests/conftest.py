from __future__ import annotations

import importlib.util

import pytest

from maille.tests_support import factories

HAS_LEDGER = importlib.util.find_spec("maille.ledger.services") is not None
needs_ledger = pytest.mark.skipif(not HAS_LEDGER, reason="the ledger has not landed yet")


@pytest.fixture(autouse=True)
def _ledger_or_stub(monkeypatch):
    """Until the ledger lands, issuing skips the postings (ledger stories are skipped)."""
    if not HAS_LEDGER:
        from maille.invoicing import postings

        monkeypatch.setattr(postings, "post_invoice", lambda invoice, acting_user: None)


@pytest.fixture
def client_on(db):
    return factories.ClientFactory(
        legal_name="Northern Lights Media Ltd.",
        province="ON",
        city="Toronto",
        postal_code="M5H 1K4",
        language="en",
    )


@pytest.fixture
def client_abroad(db):
    return factories.ClientFactory(
        legal_name="Atelier Lumière SARL",
        province="",
        country="FR",
        city="Paris",
        postal_code="75011",
    )
