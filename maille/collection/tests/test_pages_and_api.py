"""Pages and API: who sees what, the client's answers, bad input, the notice PDF."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from maille.collection import services
from maille.collection.models import Dispute, FormalNotice, Promise
from maille.collection.notices import notice_create, notice_paragraphs
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 11, 14, tzinfo=dt.UTC)  # a Monday, 10:00 in Montréal


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def overdue(issue, camille_activity, client_qc):
    return issue(camille_activity, client_qc, day=dt.date(2026, 4, 20), term=20)  # due May 10


@pytest.fixture
def other_invoice(issue, jerome_activity):
    other = factories.ClientFactory(legal_name="Autre inc.")
    return issue(jerome_activity, other, day=dt.date(2026, 4, 20), term=20)


def test_the_client_disputes_from_the_portal_and_the_member_answers(
    overdue, as_nathalie, as_camille
):
    page = as_nathalie.get("/portal/collection/")
    assert overdue.number in page.content.decode()
    as_nathalie.post("/portal/collection/dispute/", {"invoice": overdue.pk, "what": "Erreur"})
    dispute = Dispute.objects.get()
    assert dispute.in_writing and dispute.raised_by == "Nathalie Roy"
    mine = as_camille.get("/collection/mine/").content.decode()
    assert "Erreur" in mine
    as_camille.post(f"/collection/disputes/{dispute.pk}/answer/", {"answer": "Livré le 2 avril"})
    dispute.refresh_from_db()
    assert dispute.member_answer == "Livré le 2 avril"


def test_the_client_cannot_dispute_another_clients_invoice(other_invoice, as_nathalie):
    response = as_nathalie.post(
        "/api/v1/collection/disputes",
        json.dumps({"invoice_id": other_invoice.pk, "what": "Pas à nous"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "pas une facture de ce client" in response.json()["detail"][0]["message"]
    assert not Dispute.objects.exists()


def test_the_client_promises_to_pay_but_not_in_the_past(overdue, as_nathalie):
    past = as_nathalie.post(
        "/api/v1/collection/promises",
        json.dumps({"invoice_id": overdue.pk, "promised_on": "2026-05-01", "amount": "10.00"}),
        content_type="application/json",
    )
    assert past.status_code == 422
    assert "passé" in past.json()["detail"][0]["message"]
    ok = as_nathalie.post(
        "/api/v1/collection/promises",
        json.dumps({"invoice_id": overdue.pk, "promised_on": "2026-05-20", "amount": "10.00"}),
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Promise.objects.get().by_client


def test_a_plan_whose_instalments_do_not_add_up_is_refused(overdue, sylvie):
    case = services.case_for(overdue)
    with pytest.raises(services.CollectionError, match="totalisent"):
        services.plan_create(
            case=case,
            invoice_ids=[overdue.pk],
            instalments=[(dt.date(2026, 6, 1), (overdue.total / 2).quantize(overdue.total))],
            acting_user=sylvie,
        )


def test_a_plan_that_adds_up_pauses_the_steps(overdue, sylvie):
    case = services.case_for(overdue)
    half = (overdue.total / 2).quantize(overdue.total)
    plan = services.plan_create(
        case=case,
        invoice_ids=[overdue.pk],
        instalments=[(dt.date(2026, 6, 1), half), (dt.date(2026, 7, 1), overdue.total - half)],
        acting_user=sylvie,
    )
    assert plan.instalments.count() == 2
    assert overdue.dunning.paused_until == dt.date(2026, 7, 1)


def test_members_see_only_their_own_case_invoices(overdue, other_invoice, as_camille, as_jerome):
    services.dispute_raise(
        invoice_id=overdue.pk,
        what="x",
        raised_by="N",
        acting_user=factories.UserFactory(role="staff"),
    )
    case = services.case_for(overdue)
    assert as_camille.get(f"/collection/cases/{case.pk}/").status_code == 200
    assert as_jerome.get(f"/collection/cases/{case.pk}/").status_code == 404
    assert as_jerome.get(f"/api/v1/collection/cases/{case.pk}").status_code == 404


def test_the_formal_notice_is_in_french_then_english_for_an_english_client(
    issue, camille_activity, sylvie
):
    client = factories.ClientFactory(
        legal_name="Northern Lights Media Ltd.", province="ON", language="en"
    )
    invoice = issue(camille_activity, client, day=dt.date(2026, 4, 20), term=10)
    notice = notice_create(
        case=services.case_for(invoice),
        invoice_ids=[invoice.pk],
        date=timezone.localdate(),
        acting_user=sylvie,
        send=False,
    )
    assert notice.language == "en"
    french, english = notice_paragraphs(notice, "fr"), notice_paragraphs(notice, "en")
    assert french["title"] == "Mise en demeure" and english["title"] == "Formal notice"
    from maille.collection.notices import notice_pdf

    pdf = notice_pdf(notice)
    assert pdf.startswith(b"%PDF")


def test_staff_pages_answer_404_to_members(overdue, as_camille, as_sylvie):
    assert as_camille.get("/collection/").status_code == 404
    assert as_sylvie.get("/collection/").status_code == 200
    assert as_sylvie.get("/collection/aging/").status_code == 200
    assert as_sylvie.get("/collection/policy/").status_code == 200


def test_a_staff_notice_on_a_disputed_invoice_is_allowed(overdue, sylvie):
    services.dispute_raise(invoice_id=overdue.pk, what="x", raised_by="N", acting_user=sylvie)
    notice = services.formal_notice_issue(
        case=services.case_for(overdue), invoice_ids=[overdue.pk], acting_user=sylvie
    )
    assert isinstance(notice, FormalNotice)
