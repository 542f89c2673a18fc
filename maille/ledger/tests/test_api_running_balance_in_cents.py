"""The API's running balance is in cents on SQLite too (bin/fuzz-api found a
500: SQLite sums a window in floating point, 0.10 + 0.20 - 0.30 = 5.55e-17)."""

import datetime as dt
from decimal import Decimal

import pytest

from maille.api.services import api_token_create
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post

pytestmark = pytest.mark.django_db


def test_a_running_balance_back_to_zero_is_zero(client, camille, camille_activity):
    entry_post(
        date=dt.date(2026, 1, 2),
        description="Trois lignes",
        lines=[
            LineSpec(accounts.BANK, camille_activity, Decimal("0.10")),
            LineSpec(accounts.BANK, camille_activity, Decimal("0.20")),
            LineSpec(accounts.GUARANTEED_BUDGET, camille_activity, Decimal("-0.30")),
        ],
        idempotency_key="test:running-balance",
        acting_user=None,
    )
    _row, token = api_token_create(user=camille.user, name="t")
    response = client.get(
        f"/api/v1/ledger/activities/{camille_activity.pk}/lines",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    assert [line["balance"] for line in response.json()["items"]] == ["0.10", "0.30", "0.00"]
