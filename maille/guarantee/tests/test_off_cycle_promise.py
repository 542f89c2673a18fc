"""The guarantee's promise reaches people: the member is offered the pay that keeps
it, staff see the pays to run (issue 13: paid no later than the delay)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from maille.guarantee.models import Advance, PayKind
from maille.guarantee.selectors import off_cycle_pays_due
from maille.payroll import services as payroll
from maille.payroll.models import RunKind
from maille.payroll.selectors import pays_to_run
from maille.payroll.tests.helpers import calendar

pytestmark = pytest.mark.django_db

# Today is 2026-06-20 (conftest); regular pay dates every other Thursday from
# January 8 (…, June 11, June 25, July 9).


def _advance(issue_accepted, camille, camille_activity, client_qc, day) -> Advance:
    invoice = issue_accepted(camille, camille_activity, client_qc, day=day)
    return Advance.objects.get(invoice=invoice)


@pytest.mark.parametrize(
    ("issued", "pay_by", "kind"),
    [
        # 7 working days from Friday June 19 (June 24 and July 1 are holidays):
        # July 2; the regular pay of June 25 falls within.
        (dt.date(2026, 6, 19), dt.date(2026, 6, 25), PayKind.REGULAR),
        # From Friday June 12: June 23; no regular date between, so off-cycle.
        (dt.date(2026, 6, 12), dt.date(2026, 6, 23), PayKind.OFF_CYCLE),
    ],
)
def test_the_member_is_offered_the_pay_that_keeps_the_promise(
    issue_accepted, camille, camille_activity, client_qc, as_camille, issued, pay_by, kind
):
    calendar()
    advance = _advance(issue_accepted, camille, camille_activity, client_qc, issued)
    assert (advance.pay_by, advance.pay_kind) == (pay_by, kind)
    page = as_camille.get(reverse("guarantee:invoice", args=[advance.invoice_id]))
    html = page.content.decode()
    link = re.search(r'href="([^"]*/paie/\?activity=[^"]*)"', html)
    assert link is not None, html
    target = link.group(1).replace("&amp;", "&")
    assert f"activity={camille_activity.pk}" in target
    if advance.pay_kind == PayKind.OFF_CYCLE:
        assert f"off_cycle_date={advance.pay_by.isoformat()}" in target
    else:
        assert "off_cycle_date" not in target
    # The pay page opens with the proposal filled in.
    form = as_camille.get(target).content.decode()
    assert re.search(rf'<option value="{camille_activity.pk}" selected>', form)
    if advance.pay_kind == PayKind.OFF_CYCLE:
        assert f'value="{advance.pay_by.isoformat()}"' in form


def test_staff_see_off_cycle_pays_promised_and_requests_waiting(
    issue_accepted, camille, camille_activity, client_qc, as_sylvie, sylvie
):
    calendar()
    advance = _advance(issue_accepted, camille, camille_activity, client_qc, dt.date(2026, 6, 19))
    # Whatever the calendar gave this one, an advance promised off-cycle is listed
    # until its member asks, then counted as asked.
    Advance.objects.filter(pk=advance.pk).update(
        pay_kind=PayKind.OFF_CYCLE, pay_by=dt.date(2026, 6, 30)
    )
    (due,) = off_cycle_pays_due(today=dt.date(2026, 6, 20))
    assert (due.pay_by, due.advances, due.without_request) == (dt.date(2026, 6, 30), 1, 1)
    assert off_cycle_pays_due(today=dt.date(2026, 7, 1)) == []
    home = as_sylvie.get(reverse("web:home")).content.decode()
    assert "Salaries to pay" in home or "Salaires à payer" in home
    assert "1 member has not asked yet" in home or "1 membre n’a pas encore demandé" in home

    camille.sin = camille.sin or "046454286"
    camille.save(update_fields=["sin"])
    (made,) = payroll.salary_request_create(
        member=camille,
        activity=camille_activity,
        basis="all",  # the advance: 1 000 $ less the 6.5 % contribution
        amount=None,
        hours=Decimal("20"),
        kind=RunKind.OFF_CYCLE,
        pay_date=dt.date(2026, 6, 30),
        acting_user=sylvie,
        today=dt.date(2026, 6, 20),
    )
    (due,) = off_cycle_pays_due(today=dt.date(2026, 6, 20))
    assert due.without_request == 0
    assert [(p.pay_date, p.kind, p.requests) for p in pays_to_run()] == [
        (dt.date(2026, 6, 30), RunKind.OFF_CYCLE, 1)
    ]
    home = as_sylvie.get(reverse("web:home")).content.decode()
    assert "30" in home and ("off-cycle pay" in home or "paie hors cycle" in home)
    assert made.pay_date == dt.date(2026, 6, 30)
    assert made.total_cost <= Decimal("935.00") < made.total_cost + Decimal("0.05")
