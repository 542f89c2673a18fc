"""Joining: the public form, the adviser's review, the board's decision; leaving."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from maille.core.models import User
from maille.governance import services
from maille.governance.exceptions import GovernanceError
from maille.governance.models import Application, ApplicationStatus, DecisionKind, Membership
from maille.governance.tests.helpers import admitted, board, coop_activity, with_shares
from maille.ledger import accounts
from maille.ledger.models import JournalEntry
from maille.ledger.selectors import activity_money, ledger_problems
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import Activity, ActivityStatus, MemberStatus
from maille.tests_support import factories

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Léa",
    "last_name": "Roy",
    "email": "lea@exemple.test",
    "street": "12, rue Fleury",
    "city": "Montréal",
    "province": "QC",
    "postal_code": "H3L 1T5",
    "language": "en",
    "category": "worker",
    "activity_planned": "Illustration jeunesse",
    "heard_from": "Un ami",
}


def test_the_public_form_needs_consent_and_records_it():
    client = Client()
    response = client.post("/adhesion/", FORM)
    assert response.status_code == 200 and not Application.objects.exists()
    assert "consent" in response.content.decode() or "consentement" in response.content.decode()
    response = client.post("/adhesion/", {**FORM, "consent": "on"})
    assert response.status_code == 200
    application = Application.objects.get()
    assert application.consent_at is not None and application.status == ApplicationStatus.SUBMITTED


def test_staff_review_and_the_board_admits_creating_member_login_and_activity(
    sylvie, jerome, camille, django_capture_on_commit_callbacks
):
    coop_activity()
    directors = board(admitted(jerome), admitted(camille))
    application = services.application_submit(consent=True, **FORM)
    services.application_review(application=application, notes="Projet solide", acting_user=sylvie)
    with pytest.raises(GovernanceError, match="majority"):
        services.application_decide(
            application=application,
            admit=True,
            date=dt.date(2026, 2, 1),
            text="Admise",
            directors_present=directors[:1],
            acting_user=sylvie,
        )
    with pytest.raises(GovernanceError, match="not a director"):
        services.application_decide(
            application=application,
            admit=True,
            date=dt.date(2026, 2, 1),
            text="Admise",
            directors_present=[*directors, factories.MemberFactory()],  # type: ignore[list-item]
            acting_user=sylvie,
        )
    assert not Membership.objects.filter(member__user__email="lea@exemple.test").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application,
            admit=True,
            date=dt.date(2026, 2, 1),
            text="Admise",
            directors_present=directors,
            acting_user=sylvie,
        )
    # The welcome asks them, in their language, to set a password and subscribe.
    assert [m.to for m in mail.outbox] == [["lea@exemple.test"]]
    assert "20 qualifying shares" in mail.outbox[0].body
    application.refresh_from_db()
    member = application.member
    assert application.status == ApplicationStatus.ADMITTED
    assert application.decision.kind == DecisionKind.ADMISSION
    assert set(application.decision.directors_present.all()) == set(directors)
    assert member.status == MemberStatus.ACTIVE and member.user.email == "lea@exemple.test"
    assert User.objects.get(email="lea@exemple.test").language == "en"
    assert member.membership.admitted_on == dt.date(2026, 2, 1)
    assert Activity.objects.filter(owners=member, status=ActivityStatus.OPEN).count() == 1


def test_the_board_refuses_with_a_dated_decision(sylvie, jerome):
    board(admitted(jerome))
    application = services.application_submit(consent=True, **FORM)
    services.application_decide(
        application=application,
        admit=False,
        date=dt.date(2026, 2, 1),
        text="Hors mission",
        directors_present=[jerome],
        acting_user=sylvie,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED and application.member is None
    assert application.decision.date == dt.date(2026, 2, 1)
    with pytest.raises(GovernanceError, match="already"):
        services.application_decide(
            application=application,
            admit=True,
            date=dt.date(2026, 2, 2),
            text="Finalement",
            directors_present=[jerome],
            acting_user=sylvie,
        )


def test_a_member_resigns_and_withdraws_once_their_activities_are_settled(
    camille, camille_activity, sylvie
):
    with_shares(camille, sylvie, paid=Decimal("200.00"))
    with pytest.raises(GovernanceError, match="not resigned"):
        services.membership_end(
            member=camille, effective_on=dt.date(2026, 3, 1), acting_user=sylvie
        )
    services.resignation_request(
        member=camille, requested_on=dt.date(2026, 2, 1), acting_user=sylvie
    )
    services.membership_end(member=camille, effective_on=dt.date(2026, 3, 1), acting_user=sylvie)
    camille.refresh_from_db()
    camille_activity.refresh_from_db()
    assert camille.status == MemberStatus.WITHDRAWN
    assert camille_activity.status == ActivityStatus.CLOSED
    assert camille.membership.withdrawn_on == dt.date(2026, 3, 1)


def test_an_exclusion_needs_the_boards_decision_reasons_and_a_hearing(camille, jerome, sylvie):
    with_shares(camille, sylvie)
    board(admitted(jerome))
    decision = services.board_decision_record(
        date=dt.date(2026, 4, 1),
        kind=DecisionKind.EXCLUSION,
        text="Manquements répétés",
        directors_present=[jerome],
        acting_user=sylvie,
    )
    with pytest.raises(GovernanceError, match="heard"):
        services.membership_end(
            member=camille,
            effective_on=dt.date(2026, 4, 1),
            decision=decision,
            reasons="Manquements",
            acting_user=sylvie,
        )
    services.membership_end(
        member=camille,
        effective_on=dt.date(2026, 4, 1),
        decision=decision,
        reasons="Manquements",
        hearing_on=dt.date(2026, 3, 20),
        hearing_notice_on=dt.date(2026, 3, 5),
        acting_user=sylvie,
    )
    camille.membership.refresh_from_db()
    assert camille.membership.withdrawal_kind == "exclusion"


def test_a_member_cannot_decide_on_applications(camille):
    application = services.application_submit(consent=True, **FORM)
    with pytest.raises(PermissionError):
        services.application_review(application=application, notes="x", acting_user=camille.user)


def _post(
    activity: Activity, day: dt.date, what: str, lines: list[tuple[str, str]], staff: User
) -> JournalEntry:
    """One real entry on the member's activity, through the ledger's posting service."""
    return entry_post(
        date=day,
        description=what,
        lines=[LineSpec(account, activity, Decimal(amount)) for account, amount in lines],
        idempotency_key=f"test:settle:{what}",
        acting_user=staff,
    )


def test_the_board_excludes_a_member_who_owes_and_the_activity_closes_once_settled(
    camille, camille_activity, jerome, sylvie, as_sylvie
):
    """Money still open on the activity does not stop the exclusion: the
    activity stays open (listed as closing) and closes once settled, by the
    daily job or the staff button.

    The story, in the ledger: Camille invoices 1 000 $ + GST and QST to a
    client (1 149,75 $ receivable, a 1 000 $ budget on her activity); the board
    excludes her. The client pays — still her budget is open; the co-op pays
    it to her as salary — now nothing is open and the activity closes."""
    from maille.governance.tasks import governance_close_settled_activities
    from maille.web.management.commands.scheduler import DAILY_JOBS

    _post(
        camille_activity,
        dt.date(2026, 3, 10),
        "Facture F-1",
        [
            (accounts.AR, "1149.75"),
            (accounts.REVENUE, "-1000.00"),
            (accounts.GST_PAYABLE, "-50.00"),
            (accounts.QST_PAYABLE, "-99.75"),
        ],
        sylvie,
    )
    money = activity_money(activity=camille_activity)
    assert (money.balance, money.owed_by_clients) == (Decimal("1000.00"), Decimal("1149.75"))
    with_shares(camille, sylvie)
    board(admitted(jerome))
    decision = services.board_decision_record(
        date=dt.date(2026, 4, 1),
        kind=DecisionKind.EXCLUSION,
        text="Manquements répétés",
        directors_present=[jerome],
        acting_user=sylvie,
    )
    services.membership_end(
        member=camille,
        effective_on=dt.date(2026, 4, 1),
        decision=decision,
        reasons="Manquements",
        hearing_on=dt.date(2026, 3, 20),
        hearing_notice_on=dt.date(2026, 3, 5),
        acting_user=sylvie,
    )
    camille.refresh_from_db()
    camille_activity.refresh_from_db()
    assert camille.status == MemberStatus.WITHDRAWN
    assert camille.membership.withdrawn_on == dt.date(2026, 4, 1)
    assert camille_activity.status == ActivityStatus.OPEN  # money still open on it
    assert services.withdrawn_activities_close() == []  # not settled: stays open
    page = as_sylvie.get(f"/gouvernance/registre/{camille.pk}/").content.decode()
    assert camille_activity.code in page.split("<main")[-1]
    as_sylvie.post(f"/gouvernance/registre/{camille.pk}/close-settled/")
    camille_activity.refresh_from_db()
    assert camille_activity.status == ActivityStatus.OPEN

    # The client pays: nothing owed by clients, but her budget is still open.
    _post(
        camille_activity,
        dt.date(2026, 4, 15),
        "Paiement F-1",
        [(accounts.BANK, "1149.75"), (accounts.AR, "-1149.75")],
        sylvie,
    )
    money = activity_money(activity=camille_activity)
    assert (money.balance, money.owed_by_clients) == (Decimal("1000.00"), Decimal("0.00"))
    assert governance_close_settled_activities.call() == 0
    camille_activity.refresh_from_db()
    assert camille_activity.status == ActivityStatus.OPEN

    # Her last pay draws the budget to zero: settled.
    _post(
        camille_activity,
        dt.date(2026, 4, 23),
        "Dernière paie",
        [(accounts.SALARIES, "1000.00"), (accounts.BANK, "-1000.00")],
        sylvie,
    )
    money = activity_money(activity=camille_activity)
    assert (money.balance, money.owed_by_clients) == (Decimal("0.00"), Decimal("0.00"))
    assert any(job.task is governance_close_settled_activities for job in DAILY_JOBS)
    assert governance_close_settled_activities.call() == 1
    camille_activity.refresh_from_db()
    assert camille_activity.status == ActivityStatus.CLOSED
    assert camille_activity.end_date == dt.date(2026, 4, 1)
    assert governance_close_settled_activities.call() == 0  # idempotent
    assert ledger_problems() == []
