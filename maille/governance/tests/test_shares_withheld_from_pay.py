"""Share instalments deducted from pay: Camille subscribes her 20 qualifying
shares (200 $) on January 2, 2026, paid from pay in the by-laws' 10 monthly
instalments of 20 $. Each pay run withholds what is due, after tax: the
engine's figures stay as they are, only the net reaching the bank is less."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from maille.governance import services
from maille.governance.models import MovementKind, PaymentMethod, ShareMovement
from maille.governance.selectors import register_entry, share_figures, share_movements
from maille.governance.shares import PayrollPayment, shares_paid_by_payroll
from maille.governance.tests.helpers import admitted, coop_activity
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.ledger.selectors import ledger_problems
from maille.payroll import services as payroll
from maille.payroll.bankfile import bank_file_create
from maille.payroll.cpa005 import parse_returns
from maille.payroll.engine import calculate, load_params
from maille.payroll.models import Payslip, RequestBasis
from maille.payroll.pay import pay_input_from_json, result_fields
from maille.payroll.payslips import payslip_data
from maille.payroll.pdf import payslip_context
from maille.payroll.tests.helpers import calendar, fund
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

SUBSCRIBED = dt.date(2026, 1, 2)
FIRST, SECOND, THIRD = dt.date(2026, 1, 8), dt.date(2026, 1, 22), dt.date(2026, 2, 5)


def _sum(code, activity=None):
    lines = JournalLine.objects.filter(account__code=code)
    if activity is not None:
        lines = lines.filter(activity=activity)
    return sum((line.amount for line in lines), Decimal("0.00"))


def _by_payroll(member, staff, shares=20):
    coop_activity()
    admitted(member)
    return services.shares_subscribe(
        member=member, shares=shares, date=SUBSCRIBED, method="payroll", acting_user=staff
    )


def _ask(member, activity, pay_date, basis=RequestBasis.GROSS, amount="2000.00", hours="70"):
    with time_machine.travel(
        dt.datetime.combine(pay_date - dt.timedelta(days=5), dt.time(12), tzinfo=dt.UTC)
    ):
        payroll.salary_request_create(
            member=member,
            activity=activity,
            basis=basis,
            amount=Decimal(amount),
            hours=Decimal(hours),
            acting_user=member.user,
        )


def _run(staff, pay_date):
    run = payroll.payrun_prepare(pay_date=pay_date, acting_user=staff)
    payroll.payrun_approve(run=run, acting_user=staff)
    return payroll.payrun_post(run=run, acting_user=staff)


def _engine(payslip):
    return calculate(
        pay_input_from_json(payslip.inputs, payslip.ytd_before), load_params(payslip.pay_date.year)
    )


@pytest.fixture
def paid_camille(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "10000.00")
    _by_payroll(camille, sylvie)
    _ask(camille, camille_activity, FIRST)
    run = _run(sylvie, FIRST)
    return Payslip.objects.get(run=run, member=camille)


def test_the_instalment_due_is_withheld_from_the_next_pay(paid_camille, camille, sylvie):
    slip = paid_camille
    engine = _engine(slip)
    # Only the net paid changes: gross, taxes, total cost are the engine's.
    for name, value in result_fields(engine).items():
        if name != "net":
            assert getattr(slip, name) == value, name
    assert slip.after_tax_deductions == Decimal("20.00")
    assert slip.net == engine.net - Decimal("20.00")
    assert slip.after_tax_lines[0]["label"] == {"fr": "Parts sociales", "en": "Share instalment"}
    # The register and the member's share statement show the payment.
    assert register_entry(user=sylvie, member=camille).figures.paid == Decimal("20.00")
    assert share_figures(camille).owing == Decimal("180.00")
    payment = share_movements(user=camille.user, member=camille).get(kind=MovementKind.PAYMENT)
    assert (payment.amount, payment.method, payment.payslip_id, payment.date) == (
        Decimal("20.00"),
        PaymentMethod.PAYROLL,
        slip.pk,
        FIRST,
    )
    # The ledger: 1350 holds what is still owed; 2230 is cleared on the activity.
    assert _sum(accounts.SHARES_RECEIVABLE) == Decimal("180.00")
    assert _sum(accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE, slip.activity) == 0
    assert _sum(accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE) == 0
    assert _sum(accounts.NET_PAY_PAYABLE) == -slip.net
    assert ledger_problems() == []
    # The bank gets the reduced net.
    bank_file = bank_file_create(run=slip.run, acting_user=sylvie)
    [item] = parse_returns(bank_file.content).items
    assert (item.amount, item.reference) == (slip.net, f"MAILLE{slip.pk}")
    # The API and the PDF show the line.
    data = payslip_data(slip)
    assert data["net"] == str(slip.net)
    assert data["net_before_after_tax_deductions"] == str(engine.net)
    assert data["after_tax_lines"] == [
        {"key": f"governance:shares:{camille.pk}", "label": "Share instalment", "amount": "20.00"}
    ]
    context = payslip_context(slip, language="fr")
    assert context["after_tax"] == [("Parts sociales", Decimal("20.00"))]
    with translation.override("fr"):
        page = render_to_string("payroll/pdf/payslip.html", context)
    assert "Parts sociales</td><td>20,00" in page


def test_each_pay_withholds_only_what_has_fallen_due(
    paid_camille, camille, camille_activity, sylvie
):
    _ask(camille, camille_activity, SECOND)
    second = Payslip.objects.get(run=_run(sylvie, SECOND))
    assert second.after_tax_deductions == 0  # January's instalment is paid
    _ask(camille, camille_activity, THIRD)
    third = Payslip.objects.get(run=_run(sylvie, THIRD))
    assert third.after_tax_deductions == Decimal("20.00")  # February's
    assert share_figures(camille).owing == Decimal("160.00")


def test_posting_again_pays_nothing_twice(paid_camille, camille, sylvie):
    slip = paid_camille
    payroll.payrun_post(run=slip.run, acting_user=sylvie)
    again = [PayrollPayment(camille.pk, slip.pk, slip.activity, slip.pay_date, Decimal("20.00"))]
    assert shares_paid_by_payroll(payments=again, acting_user=None) == []
    assert ShareMovement.objects.filter(kind=MovementKind.PAYMENT).count() == 1
    assert share_figures(camille).owing == Decimal("180.00")
    # And the database refuses a second payment for one payslip.
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareMovement.objects.create(
            member=camille, kind=MovementKind.PAYMENT, date=FIRST, amount=1, payslip=slip
        )


def test_a_reversal_undoes_the_share_payment(paid_camille, camille, camille_activity, sylvie):
    slip = payroll.payslip_reverse(
        payslip=paid_camille, acting_user=sylvie, reason="Heures erronées", date=SECOND
    )
    undone = ShareMovement.objects.get(kind=MovementKind.PAYMENT_UNDONE)
    assert undone.counterpart_movement.payslip_id == slip.pk
    assert share_figures(camille).owing == Decimal("200.00")
    assert _sum(accounts.SHARES_RECEIVABLE) == Decimal("200.00")
    assert _sum(accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE, camille_activity) == 0
    assert ledger_problems() == []
    # The instalment is owed again: the next pay withholds it.
    _ask(camille, camille_activity, SECOND)
    second = Payslip.objects.get(run=_run(sylvie, SECOND))
    assert second.after_tax_deductions == Decimal("20.00")


def test_a_pay_too_small_withholds_only_the_net(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "10000.00")
    _by_payroll(camille, sylvie, shares=200)  # 2 000 $: 200 $ a month
    _ask(camille, camille_activity, FIRST, amount="100.00", hours="6")
    slip = Payslip.objects.get(run=_run(sylvie, FIRST))
    engine = _engine(slip)
    assert 0 < engine.net < Decimal("200.00")
    assert slip.after_tax_deductions == engine.net
    assert slip.net == 0
    assert share_figures(camille).owing == Decimal("2000.00") - engine.net
    # Nothing to deposit; the rest waits for the next pay.
    assert bank_file_create(run=slip.run, acting_user=sylvie).count == 0
    _ask(camille, camille_activity, SECOND)
    second = Payslip.objects.get(run=_run(sylvie, SECOND))
    assert second.after_tax_deductions == Decimal("200.00") - engine.net
    assert ledger_problems() == []


def test_a_member_without_such_a_subscription_is_unaffected(
    paid_camille, jerome, jerome_activity, sylvie
):
    fund(jerome_activity, "10000.00")
    admitted(jerome)
    # Behind on shares paid by transfer: not payroll's business.
    services.shares_subscribe(
        member=jerome, shares=20, date=SUBSCRIBED, method="transfer", acting_user=sylvie
    )
    _ask(jerome, jerome_activity, SECOND)
    slip = Payslip.objects.get(run=_run(sylvie, SECOND), member=jerome)
    assert slip.after_tax_deductions == 0 and slip.after_tax_lines == []
    assert slip.net == _engine(slip).net
    assert share_figures(jerome).owing == Decimal("200.00")


def test_a_net_asked_reaches_the_bank_whole(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "10000.00")
    _by_payroll(camille, sylvie)
    _ask(camille, camille_activity, FIRST, basis=RequestBasis.NET, amount="1500.00")
    slip = Payslip.objects.get(run=_run(sylvie, FIRST))
    assert slip.after_tax_deductions == Decimal("20.00")
    # The smallest gross giving the net asked plus the instalment (to the cent).
    assert Decimal("1500.00") <= slip.net < Decimal("1500.05")
    assert _engine(slip).net == slip.net + Decimal("20.00")


def _members_paying_shares(n, staff, pay_date):
    out = []
    for _ in range(n):
        member = factories.MemberFactory()
        activity = factories.ActivityFactory(owners=[member])
        fund(activity, "10000.00")
        _by_payroll(member, staff)
        _ask(member, activity, pay_date)
        out.append(member)
    return out


def test_the_run_does_not_query_per_member(sylvie):
    calendar()
    counts = []
    for pay_date, n in ((FIRST, 2), (SECOND, 6)):
        members = _members_paying_shares(n, sylvie, pay_date)
        run = payroll.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
        payroll.payrun_approve(run=run, acting_user=sylvie)
        with CaptureQueriesContext(connection) as queries:
            payroll.payrun_post(run=run, acting_user=sylvie)
        counts.append(len(queries))
        paid = ShareMovement.objects.filter(kind=MovementKind.PAYMENT, member__in=members)
        assert paid.count() == n
    assert counts[1] <= counts[0]  # the first run also reads what is then cached


def test_the_members_expected_pay_shows_the_instalment_and_the_net_after_it(
    camille, camille_activity, sylvie, as_camille
):
    """Where Camille sees what her budget becomes on the next pay (her pay page,
    the home page, the API), the instalment due then is taken from the net, as
    the run will take it."""
    from maille.payroll.projections import budget_projections

    calendar()
    fund(camille_activity, "3000.00")
    _by_payroll(camille, sylvie)
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC), tick=False):
        [projection] = budget_projections(member=camille, activities=[camille_activity])
        assert projection.pay_date == FIRST and projection.net > Decimal("20.00")
        assert projection.withheld == Decimal("20.00")
        assert projection.net_paid == projection.net - Decimal("20.00")
        [budget] = as_camille.get("/api/v1/payroll/budgets").json()
        assert (budget["withheld"], budget["net_paid"]) == ("20.00", str(projection.net_paid))
        page = as_camille.get("/paie/").content.decode()
    assert "versement sur parts retenu" in page and "net qui vous est versé" in page
    assert "<td>20,00" in page.replace("\xa0", " ")


def test_no_instalment_no_line_in_the_expected_pay(camille, camille_activity, as_camille):
    from maille.payroll.projections import budget_projections

    calendar()
    fund(camille_activity, "3000.00")
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC), tick=False):
        [projection] = budget_projections(member=camille, activities=[camille_activity])
    assert projection.withheld == 0 and projection.net_paid == projection.net > 0
