"""GET /api/v1/payroll/simulate: the simulator's figures, public, money as strings."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from maille.payroll.simulator import simulate_invoiced, simulate_net

pytestmark = pytest.mark.django_db

URL = "/api/v1/payroll/simulate"
TWO_DECIMALS = re.compile(r"\d+\.\d\d")


def get(**params: str):
    return Client().get(URL, params)


def test_anyone_can_simulate_from_an_invoice():
    response = get(invoiced="5000.00", periods="26")
    assert response.status_code == 200
    body = response.json()
    expected = simulate_invoiced(invoiced=Decimal("5000.00"), periods_per_year=26)
    assert body == expected.as_dict()
    assert body["mode"] == "invoiced"
    assert (body["invoiced"], body["contribution"], body["budget"]) == (
        "2307.69",
        "150.00",
        "2157.69",
    )
    assert body["pay"]["total_cost"] == "2157.69"


def test_every_amount_is_a_string_with_two_decimals():
    body = get(net="1500.00", periods="12").json()
    pay = body.pop("pay")
    employer = pay.pop("employer")
    for key in ("invoiced", "contribution", "budget", "employer_contributions", "unspent"):
        assert TWO_DECIMALS.fullmatch(body[key]), key
    assert all(TWO_DECIMALS.fullmatch(value) for value in [*pay.values(), *employer.values()])
    assert body["contribution_rate"] == "0.065"


def test_a_wished_net_pay_gives_what_to_invoice():
    body = get(net="1500.00").json()
    expected = simulate_net(net=Decimal("1500.00"), periods_per_year=26)
    assert body["invoiced"] == f"{expected.invoiced:.2f}"
    assert Decimal(body["pay"]["net"]) >= Decimal("1500.00")
    assert body["mode"] == "net"


def test_a_contract_and_a_vacation_rate():
    body = get(invoiced="10000", basis="contract", pays="4", vacation_rate="6").json()
    assert body["invoiced"] == "2500.00"
    gross, vacation = Decimal(body["pay"]["gross"]), Decimal(body["pay"]["vacation_pay"])
    assert vacation == (gross * Decimal("0.06")).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "invoiced"),
        ({"invoiced": "100", "net": "100"}, "net"),
        ({"invoiced": "-5"}, "invoiced"),
        ({"invoiced": "0"}, "invoiced"),
        ({"invoiced": "abc"}, "invoiced"),
        ({"invoiced": "1.234"}, "invoiced"),
        ({"invoiced": "1e400"}, "invoiced"),
        ({"invoiced": "NaN"}, "invoiced"),
        ({"invoiced": "99999999"}, "invoiced"),
        ({"net": "100001"}, "net"),
        ({"net": "100", "periods": "7"}, "periods"),
        ({"invoiced": "100", "basis": "year"}, "basis"),
        ({"invoiced": "100", "basis": "contract", "pays": "0"}, "pays"),
        ({"net": "100", "vacation_rate": "150"}, "vacation_rate"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(params, field):
    response = get(**params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [item["field"] for item in detail] == [field]
    assert detail[0]["message"]


def test_the_error_is_in_the_callers_language():
    response = Client().get(URL, headers={"Accept-Language": "fr"})
    assert (
        response.json()["detail"][0]["message"] == "Indiquez un montant facturé ou un salaire net."
    )


def test_the_openapi_schema_shows_it_needs_no_token():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/payroll/simulate"]["get"]
    assert "security" not in operation or operation["security"] in ([], [{}])
    assert "422" in operation["responses"]
