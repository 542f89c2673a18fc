"""The permission matrix (issue 8): every page and every API operation, for
every kind of person, on things they own and things they do not.

The routes come from Django's URL resolver and the operations from the
OpenAPI document, so nothing can be forgotten: a route without a row in
``permission_matrix.py`` fails ``test_every_route_has_a_row`` with the line to
add. Each row gives the status each persona gets (see that file's header).

The world: Camille (member) owns an activity, a draft and a sent quote, a
draft and an issued invoice, a salary request paid by a posted pay run (her
payslip), a payment of her invoice, all for the client Éditions du Fleuve, whose
contact Nathalie has a portal login; Jérôme is another member, Pierre the
contact of another client; Sylvie is staff, Anne admin. In the register,
Camille and Jérôme hold their shares (Camille owes on five more), a third
member sits on the board; there are meetings (a draft, a called, two held),
an application, ballots (open, closed, a counted election) and ristourne
allocations (``governance.tests.helpers.matrix_objects``). So "member" and
"client contact" are the owners, "other member" and "other client" are not.
Each persona's request is rolled back before the next (a savepoint), so a
write by one does not change what the next sees.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.http import urlencode

from maille.api.services import api_token_create
from maille.api.urls import api
from maille.clients.models import ClientContact
from maille.contracts import services as contracts
from maille.contracts.tests.helpers import draft_quote, sent_quote
from maille.coworking import services as coworking
from maille.coworking.tests import helpers as coworking_helpers
from maille.documents.links import link_token
from maille.expenses.services import purchase_create
from maille.expenses.tests.helpers import claim as expense_claim
from maille.expenses.tests.helpers import pdf as receipt_pdf
from maille.governance.tests.helpers import matrix_objects as governance_objects
from maille.invoicing import services as invoicing
from maille.invoicing.tests.test_pages_and_scoping import issued
from maille.ledger.models import Account
from maille.payments import services as payments
from maille.payments.models import BankAccount
from maille.payments.services import AllocationSpec
from maille.payroll import services as payroll
from maille.payroll.models import RequestBasis
from maille.payroll.tests.helpers import calendar, fund
from maille.tests_support import factories, personas
from maille.web.tests.permission_matrix import (
    API,
    EXEMPT_PREFIXES,
    PAGES,
    PERSONAS,
    Case,
)

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1"


def resolver_routes() -> dict[str, str]:
    """Every named route of the site: ``namespace:name`` → its pattern."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace])) or None
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace else str(p.name)
                found.setdefault(name, prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "/", None)
    return found


def api_operations() -> list[str]:
    schema = api.get_openapi_schema(path_prefix=API_PREFIX + "/")
    return [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]


def _exempt(route: str) -> bool:
    return route.startswith(tuple(EXEMPT_PREFIXES))


def test_every_route_has_a_row():
    routes = resolver_routes()
    missing = [(n, p) for n, p in routes.items() if not _exempt(n) and n not in PAGES]
    stale = sorted(set(PAGES) - set(routes))
    blank = "  ".join(["???"] * len(PERSONAS))
    lines = [f'    "{n}": Case("GET {p}", "{blank}"),' for n, p in missing]
    assert not missing, (
        "These pages have no row in maille/web/tests/permission_matrix.py (PAGES). Add one "
        "per route, with the status each persona gets "
        f"({', '.join(PERSONAS)}); see that file's header:\n" + "\n".join(lines)
    )
    assert not stale, f"Rows for routes that no longer exist (remove them): {stale}"


def test_every_api_operation_has_a_row():
    operations = api_operations()
    missing = [op for op in operations if op not in API]
    stale = sorted(set(API) - set(operations))
    blank = "  ".join(["???"] * len(PERSONAS))
    lines = [f'    "{op}": "{blank}",' for op in missing]
    assert not missing, (
        "These API operations have no row in maille/web/tests/permission_matrix.py (API). "
        f"Add one each, with the status each persona gets ({', '.join(PERSONAS)}):\n"
        + "\n".join(lines)
    )
    assert not stale, f"Rows for API operations that no longer exist (remove them): {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """Built once per module (on each test worker) in a transaction that is
    rolled back after the module's last test; each test runs in a savepoint
    inside it, and each persona's request in a savepoint inside that."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        built = _build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root() -> None:
    """The world's files (receipts, pay slips) stay in the world's media folder."""


def _build_world() -> tuple[dict[str, Any], dict[str, Any]]:
    camille = personas.camille()
    camille_activity = personas.camille_activity(camille)
    jerome = personas.jerome()
    personas.jerome_activity(jerome)
    client_qc = personas.client_qc()
    nathalie = personas.nathalie(client_qc)
    sylvie, anne = personas.sylvie(), personas.anne()
    other = factories.ClientFactory(legal_name="Autre client inc.")
    pierre = factories.ClientContactFactory(
        client=other, name="Pierre Roy", email="pierre@autre.test", portal=True
    ).user
    quote = sent_quote(camille, camille_activity, client_qc, sylvie)
    draft = draft_quote(camille, camille_activity, client_qc)
    invoice = issued(camille, camille_activity, client_qc, sylvie)
    draft_invoice = invoicing.invoice_create(
        activity=camille_activity,
        client=client_qc,
        acting_user=camille.user,
        lines=[{"description": "Travail", "quantity": "1", "unit_price": "100.00"}],
    )
    token_row, _token = api_token_create(user=camille.user, name="matrix")
    bank = BankAccount.objects.create(
        name="Desjardins — opérations",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )
    payment = payments.payment_record(
        bank_account=bank,
        client=client_qc,
        date=timezone.localdate(),
        amount=Decimal("100.00"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice, Decimal("100.00"))],
    )
    calendar()
    fund(camille_activity, "4000.00")
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        salary_requests = payroll.salary_request_create(
            member=camille,
            activity=camille_activity,
            basis=RequestBasis.GROSS,
            amount=Decimal("2000.00"),
            hours=Decimal("70"),
            acting_user=camille.user,
        )
    run = payroll.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    payroll.payrun_approve(run=run, acting_user=sylvie)
    run = payroll.payrun_post(run=run, acting_user=sylvie)
    payslip = camille.payslips.get()
    expense = expense_claim(camille, camille_activity)
    purchase = purchase_create(
        acting_user=camille.user,
        activity=camille_activity,
        invoice_number="F-1",
        date=dt.date(2026, 3, 2),
        supplier="Imprimerie",
        category="materials",
        amount="50.00",
        document=io.BytesIO(receipt_pdf()),
        today=dt.date(2026, 3, 20),
    )
    salary_request = salary_requests[0]
    room = coworking_helpers.resource(coworking_helpers.site())
    day = coworking_helpers.open_day()
    booking = coworking.booking_create(
        resource=room,
        activity=camille_activity,
        start=coworking_helpers.at(day, 9),
        end=coworking_helpers.at(day, 10),
        acting_user=camille.user,
        notify=False,
    )
    guest_booking = coworking.guest_booking_create(
        resource=room,
        start=coworking_helpers.at(day, 13),
        end=coworking_helpers.at(day, 14),
        name="Léa Roy",
        email="lea@example.test",
    )
    camera = coworking_helpers.resource(room.site, "equipment", "Caméra")
    loan = coworking.loan_check_out(
        resource=camera,
        member=camille,
        due_at=timezone.now() + dt.timedelta(days=1),
        condition="Bon",
        acting_user=sylvie,
    )
    people = {
        "anonymous": None,
        "member": camille.user,
        "other_member": jerome.user,
        "client_contact": nathalie,
        "other_client": pierre,
        "staff": sylvie,
        "admin": anne,
    }
    assert set(people) == set(PERSONAS)
    ids = {
        # pages
        "member": camille.pk,
        "activity": camille_activity.pk,
        "client": client_qc.pk,
        "quote": quote.pk,
        "draft_quote": draft.pk,
        "invoice": invoice.pk,
        "draft_invoice": draft_invoice.pk,
        "api_token": token_row.pk,
        "quote_link": contracts.quote_link_token(quote),
        "invoice_link": invoicing.invoice_link_token(invoice),
        "payslip_link": link_token(payslip),
        "account": Account.objects.order_by("code").values_list("code", flat=True)[0],
        "month": "2026-01-01",  # any day of the month
        "salary_request": salary_request.pk,
        "payment": payment.pk,
        "payment_id": payment.pk,
        "bank": bank.pk,
        "contact": ClientContact.objects.get(user=nathalie).pk,
        # No bank statement is imported in the world yet: these rows check
        # that a missing import or line is refused the same way to everyone.
        "bank_import": 999999,
        "bank_line": 999999,
        "line_id": 999999,
        "run": run.pk,
        "payslip": payslip.pk,
        "expense": expense.pk,
        "receipt": expense.receipt_id,
        "purchase": purchase.pk,
        "site": room.site_id,
        "resource": room.pk,
        "booking": booking.pk,
        "day": day.isoformat(),
        "guest_booking": guest_booking.pk,
        "loan": loan.pk,
        "feed_token": link_token(coworking.feed_of(member=camille)),
        "booking_link": link_token(booking),
        # API path parameters
        "member_id": camille.pk,
        "activity_id": camille_activity.pk,
        "client_id": client_qc.pk,
        "quote_id": quote.pk,
        "invoice_id": invoice.pk,
        "interest_id": invoice.pk,  # no interest has this id: staff get a 422
        "request_id": salary_request.pk,
        "run_id": run.pk,
        "payslip_id": payslip.pk,
        "expense_id": expense.pk,
        "purchase_id": purchase.pk,
        "resource_id": room.pk,
        "booking_id": booking.pk,
        "code": Account.objects.order_by("code").values_list("code", flat=True)[0],
    }
    ids["token"] = ids["quote_link"]  # the API's acceptance endpoints
    from maille.collection.tests.helpers import matrix_objects

    ids |= matrix_objects(client_qc, invoice, sylvie)
    ids |= governance_objects(camille, jerome, sylvie)
    return people, ids


def _fill(template: str, ids: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        assert key in ids, (
            f"No object for {{{key}}} in {template}: add it to the world fixture of "
            "maille/web/tests/test_permission_matrix.py"
        )
        return str(ids[key])

    return re.sub(r"\{(\w+)\}", value, template)


def _request(person: Any, method: str, url: str, body: Any) -> int:
    client = Client()
    if person is not None:
        client.force_login(person)
    cache.clear()  # allauth's rate limits
    point = transaction.savepoint()
    try:
        if method == "GET":
            response = client.get(url)
        elif url.startswith(API_PREFIX):
            response = client.generic(
                method, url, json.dumps(body), content_type="application/json"
            )
        else:
            response = client.generic(
                method, url, body, content_type="application/x-www-form-urlencoded"
            )
    finally:
        transaction.savepoint_rollback(point)
    return int(response.status_code)


def _check(case_name: str, case: Case, world: Any) -> None:
    people, ids = world
    method, template = case.target.split(" ", 1)
    url = _fill(template, ids)
    body = json.loads(_fill(json.dumps(case.body), ids))
    if not url.startswith(API_PREFIX):
        body = urlencode(body, doseq=True)
    expected = case.statuses()
    got = {p: _request(people[p], method, url, body) for p in PERSONAS}
    wrong = {p: f"expected {expected[p]}, got {got[p]}" for p in PERSONAS if got[p] != expected[p]}
    observed = "  ".join(str(got[p]) for p in PERSONAS)
    if os.environ.get("MATRIX_RECORD"):  # print the observed rows, to review and paste
        with open(os.environ["MATRIX_RECORD"], "a") as out:
            out.write(f"{case_name}\t{case.target}\t{observed}\n")
        return
    assert not wrong, (
        f"{case_name} ({method} {url}): {wrong}\n"
        f'observed row: "{observed}"  (personas: {", ".join(PERSONAS)})'
    )
    # A denied person never gets the page: only their own things answer 2xx.
    for person in PERSONAS:
        assert got[person] != 500, f"{case_name}: 500 for {person}"


def _page_cases() -> list[Any]:
    cases = []
    for name, value in PAGES.items():
        for i, case in enumerate(value if isinstance(value, list) else [value]):
            cases.append(pytest.param(name, case, id=f"{name}#{i}" if i else name))
    return cases


@pytest.mark.parametrize(("name", "case"), _page_cases())
def test_page_permissions(name, case, world):
    _check(name, case, world)


@pytest.mark.parametrize("operation", sorted(API))
def test_api_permissions(operation, world):
    value = API[operation]
    case = value if isinstance(value, Case) else Case(operation, value)
    _check(operation, case, world)


def _admin_url(pattern: str) -> str:
    """A URL for an admin route: object ids 1, an app list's first app."""
    url = pattern.replace("([^/]+)", "1").replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<\w+>([^)|]+)[^)]*\)", r"\1", url)
    return re.sub(r"<(?:\w+:)?\w+>", "1", url)


def test_only_staff_reach_the_admin(world):
    """Every admin route (however many the apps register): anyone but staff
    is sent to the login or refused; staff never meet a server error."""
    people, _ids = world
    others = {p: people[p] for p in PERSONAS if p not in ("staff", "admin")}
    sylvie, anne = people["staff"], people["admin"]
    routes = {n: p for n, p in resolver_routes().items() if n.startswith("admin:")}
    assert len(routes) > 50
    for name, pattern in routes.items():
        url = _admin_url(pattern)
        for person, user in others.items():
            status = _request(user, "GET", url, None)
            assert status in (302, 403, 404, 405), f"{name} ({url}): {person} got {status}"
        for user in (sylvie, anne):
            status = _request(user, "GET", url, None)
            assert status < 500, f"{name} ({url}): staff got {status}"


def test_the_board_acts_in_the_world_succeed_for_staff(world):
    """A 302 can hide a refusal shown as a message: the governance acts the
    matrix posts as staff are done, not refused, on the world's objects."""
    from django.contrib.messages import constants, get_messages

    people, ids = world
    acts = [
        case
        for name, value in PAGES.items()
        if name.startswith("governance:")
        for case in (value if isinstance(value, list) else [value])
        if case.target.startswith("POST") and case.statuses()["staff"] == 302
    ]
    assert len(acts) >= 5
    for case in acts:
        url = _fill(case.target.split(" ", 1)[1], ids)
        body = json.loads(_fill(json.dumps(case.body), ids))
        client = Client()
        client.force_login(people["staff"])
        point = transaction.savepoint()
        try:
            response = client.post(url, body)
            shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        finally:
            transaction.savepoint_rollback(point)
        assert response.status_code == 302, case.target
        assert shown and all(level == constants.SUCCESS for level, _m in shown), (
            case.target,
            shown,
        )
