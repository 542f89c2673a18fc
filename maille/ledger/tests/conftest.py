"""Ledger test helpers: the co-op's own activities and a short way to post."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE, Activity


def pytest_runtest_setup(item: Any) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English, the source language (French comes
    with the translations)."""
    with translation.override("en"):
        yield


@pytest.fixture
def coop(db: None) -> Activity:
    return Activity.objects.get(code=COOP_ACTIVITY_CODE)


@pytest.fixture
def fonds(db: None) -> Activity:
    return Activity.objects.get(code=FUND_ACTIVITY_CODE)


def line(account: str, activity: Activity, amount: str) -> LineSpec:
    return LineSpec(account=account, activity=activity, amount=Decimal(amount))


_counter = iter(range(1, 10**9))


def post(
    *lines: LineSpec,
    date: dt.date = dt.date(2026, 3, 2),
    description: str = "Test entry",
    key: str | None = None,
    **kwargs: Any,
) -> Any:
    return entry_post(
        date=date,
        description=description,
        lines=list(lines),
        idempotency_key=key or f"test:{next(_counter)}",
        acting_user=kwargs.pop("acting_user", None),
        **kwargs,
    )
