"""The eligibility table: each rule alone, every reason at once, limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.guarantee import rules
from maille.guarantee.rules import InvoiceFacts, Limits

LIMITS = Limits(share=Decimal(1), client_limit=Decimal("5000"), member_limit=Decimal("3000"))
COVERED = InvoiceFacts(
    is_invoice=True,
    is_internal=False,
    accepted=True,
    client_excluded=None,
    disputed=False,
    subtotal=Decimal("1000.00"),
    contribution=Decimal("65.00"),
    client_exposure=Decimal("0"),
    member_exposure=Decimal("0"),
)


def codes(facts, limits=LIMITS):
    return [r.code for r in rules.reasons(facts, limits)]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, []),
        ({"accepted": False}, [rules.NO_ACCEPTANCE]),
        ({"client_excluded": "défaut de paiement"}, [rules.CLIENT_EXCLUDED]),
        ({"disputed": True}, [rules.DISPUTED]),
        ({"is_internal": True}, [rules.INTERNAL]),
        ({"is_invoice": False}, [rules.NOT_AN_INVOICE]),
        ({"client_exposure": Decimal("4065.01")}, [rules.CLIENT_LIMIT]),
        ({"client_exposure": Decimal("4065.00")}, []),
        ({"member_exposure": Decimal("2065.01")}, [rules.MEMBER_LIMIT]),
        ({"subtotal": Decimal("0"), "contribution": Decimal("0")}, [rules.NOTHING_TO_ADVANCE]),
    ],
)
def test_each_rule(change, expected):
    facts = InvoiceFacts(**{**_as_dict(COVERED), **change})
    assert codes(facts) == expected


def _as_dict(facts):
    return {f: getattr(facts, f) for f in facts.__slots__}


def test_every_reason_is_given_at_once():
    facts = InvoiceFacts(
        **{
            **_as_dict(COVERED),
            "accepted": False,
            "disputed": True,
            "client_excluded": "faillite",
            "member_exposure": Decimal("9999"),
        }
    )
    assert codes(facts) == [
        rules.NO_ACCEPTANCE,
        rules.CLIENT_EXCLUDED,
        rules.DISPUTED,
        rules.MEMBER_LIMIT,
    ]


def test_without_a_policy_nothing_is_covered():
    assert codes(COVERED, None) == [rules.NO_POLICY]


def test_the_advance_is_the_share_of_the_subtotal_after_contribution():
    assert rules.advance_amount(
        subtotal=Decimal("1000.00"), contribution=Decimal("65.00"), share=Decimal("0.8")
    ) == Decimal("748.00")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("delay_working_days", -3),
        ("advance_share", Decimal("1.01")),
        ("client_limit", Decimal("-1")),
        ("risk_risky_on_time", Decimal("0.9")),
    ],
)
def test_bad_policies_are_refused_naming_the_field(field, value):
    values = {
        "valid_from": dt.date(2026, 7, 1),
        "delay_working_days": 7,
        "advance_share": Decimal(1),
        "client_limit": Decimal(5000),
        "member_limit": Decimal(3000),
        "coverage_floor": Decimal("0.1"),
        "risk_watch_on_time": Decimal("0.8"),
        "risk_risky_on_time": Decimal("0.5"),
        "risk_watch_days_late": 10,
        "risk_risky_days_late": 30,
    }
    values[field] = value
    assert field in rules.policy_problems(**values)
