"""Transfers, redemptions and repayments with the board's approval, a
resignation and an exclusion, through the API and the pages; a deposit on
the bank statement matched to a member's shares (and unmatched). The
register and the ledger agree after each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from maille.governance.models import BoardDecision, Bylaws, MovementKind, ShareMovement
from maille.governance.selectors import ledger_share_figures, share_figures
from maille.governance.tests.helpers import admitted, board, with_shares
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.ledger.selectors import balance
from maille.members.models import MemberStatus
from maille.payments import bank
from maille.payments.exceptions import PaymentRefused
from maille.payments.models import BankAccount, BankLine, LineStatus
from maille.payments.tests.test_matching import run
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"
JSON = "application/json"


def _decision(director, day="2026-03-01"):
    return {"date": day, "text": "Approuvé par le conseil", "directors_present": [director.pk]}


def _agrees(member):
    figures = share_figures(member)
    capital, receivable = ledger_share_figures(member)
    return (
        capital
        == figures.amount_subscribed
        - figures.redeemed_amount
        - figures.unpaid_cancelled
        - (figures.transferred_out - figures.transferred_in) * Decimal("10.00")
        and receivable == figures.owing
    )


def test_a_transfer_with_the_boards_approval(camille, jerome, sylvie, as_sylvie, as_camille):
    with_shares(camille, sylvie, shares=25)
    board(with_shares(jerome, sylvie))
    body = {
        "member_id": camille.pk,
        "to_member_id": jerome.pk,
        "shares": 5,
        "date": "2026-03-01",
        "decision": _decision(jerome),
    }
    url = f"{API}/shares/transfers"
    assert as_camille.post(url, body, content_type=JSON).status_code == 404
    too_many = as_sylvie.post(url, body | {"shares": 6}, content_type=JSON)
    assert too_many.status_code == 422  # would leave fewer than the 20 qualifying shares
    assert BoardDecision.objects.count() == 0
    done = as_sylvie.post(url, body, content_type=JSON)
    assert done.status_code == 201, done.content
    assert [m["kind"] for m in done.json()] == ["transfer_out", "transfer_in"]
    assert share_figures(camille).held == 20 and share_figures(jerome).held == 25
    assert BoardDecision.objects.get().kind == "transfer"
    assert _agrees(camille) and _agrees(jerome)


def test_a_redemption_only_as_the_bylaws_allow_then_repaid(
    camille, jerome, sylvie, as_sylvie, as_jerome
):
    with_shares(camille, sylvie)
    board(with_shares(jerome, sylvie))
    body = {
        "member_id": camille.pk,
        "shares": 20,
        "date": "2026-03-01",
        "decision": _decision(jerome),
    }
    not_leaving = as_sylvie.post(f"{API}/shares/redemptions", body, content_type=JSON)
    assert not_leaving.status_code == 422
    assert BoardDecision.objects.count() == 0
    resigned = as_sylvie.post(
        f"{API}/members/{camille.pk}/resignation", {"requested_on": "2026-02-01"}, content_type=JSON
    )
    assert resigned.json()["withdrawal_requested_on"] == "2026-02-01"
    Bylaws.objects.update(redemption_allowed=False)
    forbidden = as_sylvie.post(f"{API}/shares/redemptions", body, content_type=JSON)
    assert forbidden.status_code == 422 and BoardDecision.objects.count() == 0
    Bylaws.objects.update(redemption_allowed=True)
    done = as_sylvie.post(f"{API}/shares/redemptions", body, content_type=JSON)
    assert done.status_code == 201 and done.json()["amount"] == "200.00"
    assert share_figures(camille).to_repay == Decimal("200.00")
    over = as_sylvie.post(
        f"{API}/shares/repayments",
        {"member_id": camille.pk, "amount": "200.01", "date": "2026-03-05"},
        content_type=JSON,
    )
    assert over.status_code == 422
    # Money leaves the bank: a director who is not staff records nothing (404).
    for path, payload in (
        ("shares/repayments", {"member_id": camille.pk, "amount": "200.00", "date": "2026-03-05"}),
        ("shares/redemptions", body),
    ):
        assert as_jerome.post(f"{API}/{path}", payload, content_type=JSON).status_code == 404
    assert share_figures(camille).to_repay == Decimal("200.00")
    far = as_sylvie.post(
        f"{API}/shares/repayments",
        {"member_id": camille.pk, "amount": "200.00", "date": "1926-03-05"},
        content_type=JSON,
    )
    assert far.status_code == 422 and share_figures(camille).to_repay == Decimal("200.00")
    as_sylvie.post(
        f"{API}/shares/repayments",
        {"member_id": camille.pk, "amount": "200.00", "date": "2026-03-05"},
        content_type=JSON,
    )
    assert share_figures(camille).to_repay == 0
    assert balance(account=accounts.SHARES_TO_REPAY) == 0
    assert _agrees(camille)


def test_withdrawal_and_exclusion_through_the_api(
    camille, jerome, sylvie, anne, as_sylvie, as_camille, camille_activity
):
    with_shares(camille, sylvie)
    board(with_shares(jerome, sylvie))
    url = f"{API}/members/{camille.pk}/withdrawal"
    assert (
        as_camille.post(url, {"effective_on": "2026-04-01"}, content_type=JSON).status_code == 404
    )
    not_resigned = as_sylvie.post(url, {"effective_on": "2026-04-01"}, content_type=JSON)
    assert not_resigned.status_code == 422
    exclusion: dict[str, Any] = {
        "effective_on": "2026-04-10",
        "exclusion": {
            "reasons": "Manquements répétés",
            "hearing_notice_on": "2026-03-20",
            "hearing_on": "2026-04-12",
            "decision": _decision(jerome, "2026-04-10"),
        },
    }
    unheard = as_sylvie.post(url, exclusion, content_type=JSON)
    assert unheard.status_code == 422
    assert BoardDecision.objects.count() == 0
    exclusion["exclusion"]["hearing_on"] = "2026-04-05"
    done = as_sylvie.post(url, exclusion, content_type=JSON)
    assert done.status_code == 200, done.content
    assert done.json()["withdrawal_kind"] == "exclusion"
    assert done.json()["hearing_notice_on"] == "2026-03-20"
    camille.refresh_from_db()
    camille_activity.refresh_from_db()
    assert camille.status == MemberStatus.WITHDRAWN and camille_activity.status == "closed"


def test_a_member_resigns_from_their_page_and_not_for_another(camille, jerome, sylvie, as_camille):
    with_shares(camille, sylvie)
    admitted(jerome)
    # Her own resignation is dated today: a backdated request is refused.
    as_camille.post("/gouvernance/mes-parts/demission/", {"requested_on": "2026-02-01"})
    camille.membership.refresh_from_db()
    assert camille.membership.withdrawal_requested_on is None
    today = timezone.localdate()
    as_camille.post("/gouvernance/mes-parts/demission/", {"requested_on": today.isoformat()})
    camille.membership.refresh_from_db()
    assert camille.membership.withdrawal_requested_on == today
    other = as_camille.post(
        f"{API}/members/{jerome.pk}/resignation", {"requested_on": "2026-02-01"}, content_type=JSON
    )
    assert other.status_code == 404
    jerome.membership.refresh_from_db()
    assert jerome.membership.withdrawal_requested_on is None


def test_the_member_shares_page_is_for_staff_and_the_board(
    camille, jerome, sylvie, as_sylvie, as_camille, as_jerome
):
    with_shares(camille, sylvie, shares=20, paid=Decimal("50.00"))
    assert as_camille.get(f"/gouvernance/registre/{camille.pk}/").status_code == 404
    board(with_shares(jerome, sylvie))
    assert as_jerome.get(f"/gouvernance/registre/{camille.pk}/").status_code == 200
    # A director reads; only staff record (a director posting gets 404).
    pay = {"amount": "25.00", "date": "2026-02-01", "method": "transfer"}
    assert as_jerome.post(f"/gouvernance/registre/{camille.pk}/pay/", pay).status_code == 404
    as_sylvie.post(f"/gouvernance/registre/{camille.pk}/pay/", pay)
    assert share_figures(camille).paid == Decimal("75.00")
    as_sylvie.post(f"/gouvernance/registre/{camille.pk}/pay/", pay | {"amount": "500.00"})
    assert share_figures(camille).paid == Decimal("75.00")  # more than owed: refused
    assert _agrees(camille)


@pytest.fixture
def operating(db):
    return BankAccount.objects.create(
        name="Desjardins — opérations",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )


def test_a_deposit_matched_to_a_members_shares_and_unmatched(camille, sylvie, operating, as_sylvie):
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        with_shares(camille, sylvie, paid=Decimal("50.00"))
        (line,) = run(operating, ("2026/06/10", "Virement /CAMILLE", "40.00"))
        with pytest.raises(PaymentRefused, match="member"):
            bank.line_mark_other(line=line, kind="shares", acting_user=sylvie)
        page = as_sylvie.get(f"/bank/lines/{line.pk}/")
        assert camille.number.encode() in page.content
        matched = as_sylvie.post(
            f"/api/v1/bank-lines/{line.pk}/match",
            {"version": line.version, "action": "other", "kind": "shares", "member_id": camille.pk},
            content_type=JSON,
        )
        assert matched.status_code == 200, matched.content
        line = BankLine.objects.get(pk=line.pk)
        assert line.status == LineStatus.OTHER and line.other_kind == "shares"
        assert share_figures(camille).paid == Decimal("90.00")
        assert balance(account=accounts.SHARES_RECEIVABLE) == Decimal("110.00")
        assert _agrees(camille)
        bank.line_unmatch(
            line=line, acting_user=sylvie, expected_version=line.version, reason="Mauvais membre"
        )
        assert share_figures(camille).paid == Decimal("50.00")
        assert ShareMovement.objects.filter(kind=MovementKind.PAYMENT_UNDONE).count() == 1
        assert balance(account=accounts.SHARES_RECEIVABLE) == Decimal("150.00")
        assert _agrees(camille)


def test_a_deposit_larger_than_the_shares_owed_is_refused_on_the_page(
    camille, sylvie, operating, as_sylvie
):
    """The governance refusal reaches the staff member as a message, not a 500."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        with_shares(camille, sylvie, paid=Decimal("50.00"))
        owing = share_figures(camille).owing
        (line,) = run(operating, ("2026/06/10", "Virement /CAMILLE", str(owing + Decimal("1.00"))))
        answer = as_sylvie.post(
            f"/bank/lines/{line.pk}/shares/",
            {"member": camille.pk, "version": line.version},
            follow=True,
        )
        assert answer.status_code == 200
        assert [m.level_tag for m in answer.context["messages"]] == ["error"]
        assert share_figures(camille).paid == Decimal("50.00")
        assert BankLine.objects.get(pk=line.pk).status != LineStatus.OTHER


def test_the_register_page_and_pdf_show_the_amount_subscribed_and_what_is_owed_back(
    camille, jerome, sylvie, as_sylvie, monkeypatch
):
    """The page and the PDF are as complete as the CSV: the amount subscribed
    and what the co-op still owes on redeemed shares."""
    import re

    with_shares(camille, sylvie, shares=30, paid=Decimal("300.00"))  # 300 $ subscribed
    board(with_shares(jerome, sylvie))
    as_sylvie.post(
        f"{API}/members/{camille.pk}/resignation", {"requested_on": "2026-02-01"}, content_type=JSON
    )
    body = {"member_id": camille.pk, "shares": 12, "date": "2026-03-01"}
    body["decision"] = _decision(jerome)
    assert as_sylvie.post(f"{API}/shares/redemptions", body, content_type=JSON).status_code == 201
    assert share_figures(camille).to_repay == Decimal("120.00")
    page = as_sylvie.get("/gouvernance/registre/").content.decode()
    assert "montant souscrit" in page and "dû au membre (parts remboursées)" in page.lower()
    row = next(r for r in page.split("<tr>") if camille.number in r)
    cells = [re.sub(r"<[^>]+>|\s|&nbsp;|\u202f|\xa0", "", c) for c in row.split("<td>")[1:]]
    assert cells[-4] == "300,00$"  # amount subscribed
    assert cells[-1] == "120,00$"  # to repay on the 12 redeemed shares
    rendered = {}

    def fake_pdf(template, context, *, language):
        from django.template.loader import render_to_string

        rendered["html"] = render_to_string(template, context)
        return b"%PDF"

    monkeypatch.setattr("maille.contracts.documents.render_pdf", fake_pdf)
    as_sylvie.get("/gouvernance/registre.pdf")
    assert "300,00" in rendered["html"] and "120,00" in rendered["html"]


def test_the_service_refuses_a_transfer_to_a_member_who_has_withdrawn(camille, jerome, sylvie):
    """Not only the form: the service itself refuses a withdrawn recipient."""
    import pytest as _pytest

    from maille.governance import services
    from maille.governance.exceptions import GovernanceError
    from maille.governance.models import DecisionKind, Membership

    with_shares(camille, sylvie, shares=25)
    with_shares(jerome, sylvie)
    director = board(with_shares(factories.MemberFactory(), sylvie))[0]
    Membership.objects.filter(member=jerome).update(withdrawn_on=dt.date(2026, 2, 1))
    decision = services.board_decision_record(
        date=dt.date(2026, 3, 1),
        kind=DecisionKind.TRANSFER,
        text="Cession",
        directors_present=[director],
        acting_user=sylvie,
    )
    with _pytest.raises(GovernanceError, match="not a member on that date"):
        services.shares_transfer(
            member=camille,
            to=jerome,
            shares=5,
            date=dt.date(2026, 3, 1),
            decision=decision,
            acting_user=sylvie,
        )
    assert share_figures(camille).held == 25 and share_figures(jerome).held == 20
