from __future__ import annotations

import pytest

from maille.tests_support import factories


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
