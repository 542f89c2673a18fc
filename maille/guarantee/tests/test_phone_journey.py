"""On a 390 px phone in Chromium, French first then English: a member opens an
invoice the guarantee advanced, follows "Ask for this salary" to the pay page
(the activity and, for an off-cycle pay, its date filled in), gives the hours
and asks for everything available; the request is accepted and listed, the
fund page shows the delay observed, and staff see it among the salaries to
pay. Every page checked like the first-day journeys (no server or console
error, no untranslated sentence, no horizontal scroll)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maille.guarantee.models import Advance, PayKind
from maille.payroll.models import RequestStatus, SalaryRequest
from maille.payroll.tests.helpers import calendar
from maille.web.tests.test_journeys import (  # noqa: F401 (fixtures)
    _posted_entries_removed_after,
    browser,
    pytestmark,
)


@pytest.fixture(autouse=True)
def _today():
    """Real time here (the app's conftest freezes it): a live server and a
    browser need a clock that runs."""
    yield


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_member_asks_for_the_salary_an_advance_promised(
    browser,  # noqa: F811 (the journeys fixture)
    language,
    issue_accepted,
    camille,
    camille_activity,
    client_qc,
):
    calendar()
    camille.sin = camille.sin or "046454286"
    camille.save(update_fields=["sin"])
    invoice = issue_accepted(camille, camille_activity, client_qc, day=timezone.localdate())
    advance = Advance.objects.get(invoice=invoice)

    member = browser(language)
    member.login("camille@maille.test")
    member.go(f"/fonds/factures/{invoice.pk}/")
    page = member.page
    member.click("#guarantee a[href*='activity=']")
    assert page.url.split("#")[0].endswith(
        f"?activity={camille_activity.pk}&off_cycle_date={advance.pay_by.isoformat()}"
        if advance.pay_kind == PayKind.OFF_CYCLE
        else f"?activity={camille_activity.pk}"
    )
    assert page.locator("select[name=activity]").input_value() == str(camille_activity.pk)
    if advance.pay_kind == PayKind.OFF_CYCLE:
        assert page.locator("input[name=off_cycle_date]").input_value() == (
            advance.pay_by.isoformat()
        )
    page.select_option("select[name=basis]", "all")
    page.fill("input[name=hours]", "20")
    member.click("form#request button[type=submit]")
    made = SalaryRequest.objects.get(member=camille)
    assert made.status == RequestStatus.APPROVED
    if advance.pay_kind == PayKind.OFF_CYCLE:
        assert made.pay_date == advance.pay_by  # paid within the delay, as promised
    assert made.total_cost <= advance.amount
    listed = page.locator("form#request + h2 + table tbody tr").first.inner_text()  # my requests
    assert made.pay_date.isoformat() in listed and camille_activity.code in listed

    # The members' fund page: the delay is the one observed, none paid yet.
    member.go("/fonds/")
    fund = page.locator("main").inner_text()
    delay = (
        "Délai moyen entre la facture et le salaire versé"
        if language == "fr"
        else "Average delay between invoice and salary paid"
    )
    assert delay in fund

    staff = browser(language)
    staff.login("sylvie@maille.test")
    staff.go("/")
    salaries = "Salaires à payer" if language == "fr" else "Salaries to pay"
    assert salaries in staff.page.locator("main").inner_text()
