"""A quote goes out after validation and the client answers through a signed link."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core import mail

from maille.contracts import services
from maille.contracts.exceptions import QuoteNotEditable
from maille.contracts.models import QuoteDecision, QuoteStatus, TrustedMember
from maille.contracts.tests.helpers import draft_quote
from maille.tests_support.factories import ClientContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(
    camille, camille_activity, client_qc, sylvie, nathalie, django_capture_on_commit_callbacks
):
    quote = draft_quote(camille, camille_activity, client_qc)
    services.quote_submit(quote=quote, acting_user=camille.user)
    services.quote_validate(quote=quote, acting_user=sylvie)
    with django_capture_on_commit_callbacks(execute=True):  # the email goes after commit
        return services.quote_send(quote=quote, acting_user=sylvie)


def link(quote):
    return f"/q/{services.quote_link_token(quote)}/"


def test_staff_validate_unless_the_member_is_trusted(camille, camille_activity, client_qc, sylvie):
    quote = draft_quote(camille, camille_activity, client_qc)
    assert services.quote_submit(quote=quote, acting_user=camille.user).status == (
        QuoteStatus.SUBMITTED
    )
    with pytest.raises(PermissionError):
        services.quote_validate(quote=quote, acting_user=camille.user)
    TrustedMember.objects.create(member=camille, client=client_qc, granted_by=sylvie)
    other = draft_quote(camille, camille_activity, client_qc)
    assert services.quote_submit(quote=other, acting_user=camille.user).status == (
        QuoteStatus.APPROVED
    )


def test_a_member_cannot_validate_through_the_page(
    as_camille, camille, camille_activity, client_qc
):
    quote = draft_quote(camille, camille_activity, client_qc)
    services.quote_submit(quote=quote, acting_user=camille.user)
    assert as_camille.post(f"/quotes/{quote.pk}/validate/").status_code == 404
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SUBMITTED


def test_sending_freezes_the_pdf_and_emails_the_contacts(sent, client_qc):
    assert sent.status == QuoteStatus.SENT
    assert bytes(sent.document_pdf).startswith(b"%PDF")
    assert sent.document_sha256 == hashlib.sha256(bytes(sent.document_pdf)).hexdigest()
    (message,) = mail.outbox
    assert message.to == ["nathalie@fleuve.test"]
    assert sent.number in message.subject and "Soumission" in message.subject
    assert "/q/" in message.body
    assert message.attachments[0][0] == f"{sent.number}.pdf"


def test_the_client_accepts_with_name_role_ip_user_agent_and_fingerprint(client, sent):
    page = client.get(link(sent))
    assert page.status_code == 200
    assert sent.document_sha256 in page.text
    pdf = client.get(f"{link(sent)}pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == sent.document_sha256
    response = client.post(
        link(sent),
        {
            "signer_name": "Nathalie Roy",
            "signer_role": "Directrice artistique",
            "document_sha256": sent.document_sha256,
            "decision": "accepted",
        },
        HTTP_USER_AGENT="Firefox/140",
    )
    assert response.status_code == 302
    decision = QuoteDecision.objects.get(quote=sent)
    assert (decision.decision, decision.signer_name, decision.signer_role) == (
        "accepted",
        "Nathalie Roy",
        "Directrice artistique",
    )
    assert decision.ip_address == "127.0.0.1"
    assert decision.user_agent == "Firefox/140"
    assert decision.document_sha256 == sent.document_sha256
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.ACCEPTED
    with pytest.raises(QuoteNotEditable):
        services.quote_update(quote=sent, acting_user=sent.author.user, title="Autre")
    # A second answer is refused and changes nothing.
    client.post(
        link(sent),
        {
            "signer_name": "X",
            "signer_role": "Y",
            "decision": "refused",
            "document_sha256": sent.document_sha256,
        },
    )
    assert QuoteDecision.objects.get(quote=sent).decision == "accepted"


def test_a_refusal_is_recorded_too(client, sent):
    client.post(
        link(sent),
        {
            "signer_name": "Nathalie Roy",
            "signer_role": "Directrice",
            "document_sha256": sent.document_sha256,
            "decision": "refused",
            "reason": "Budget coupé",
        },
    )
    sent.refresh_from_db()
    assert sent.status == QuoteStatus.REFUSED
    assert sent.decision.reason == "Budget coupé"


def test_accepting_needs_a_name_and_a_role(client, sent):
    response = client.post(
        link(sent),
        {
            "signer_name": "",
            "signer_role": "",
            "document_sha256": sent.document_sha256,
            "decision": "accepted",
        },
    )
    assert response.status_code == 200
    assert not QuoteDecision.objects.exists()


def test_a_different_document_cannot_be_accepted(client, sent):
    response = client.post(
        link(sent),
        {
            "signer_name": "N",
            "signer_role": "R",
            "document_sha256": "0" * 64,
            "decision": "accepted",
        },
    )
    assert "plus le document courant" in response.text
    assert not QuoteDecision.objects.exists()


def test_a_tampered_link_is_refused(client, sent):
    token = services.quote_link_token(sent)
    for bad in (token[:-2] + "xx", "abc", token.replace(":", ";"), "x" * 300):
        response = client.get(f"/q/{bad}/")
        assert response.status_code == 404
        assert client.get(f"/q/{bad}/pdf/").status_code == 404
    assert not QuoteDecision.objects.exists()


def test_an_expired_link_is_refused(client, sent):
    url = link(sent)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=61)):
        response = client.get(url)
    assert response.status_code == 404
    assert "expir" in response.text


def test_a_revoked_link_is_refused(client, sent, sylvie):
    url = link(sent)
    renewed = services.quote_link_revoke(quote=sent, acting_user=sylvie)
    assert client.get(url).status_code == 404
    assert client.get(link(renewed)).status_code == 200  # the new link works


def test_an_expired_quote_cannot_be_accepted(client, sent):
    url = link(sent)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=40)):
        response = client.post(
            url,
            {
                "signer_name": "N",
                "signer_role": "R",
                "document_sha256": sent.document_sha256,
                "decision": "accepted",
            },
        )
    assert response.status_code == 200
    assert not QuoteDecision.objects.exists()


def test_english_contacts_get_the_email_in_english(
    camille, camille_activity, client_on, sylvie, django_capture_on_commit_callbacks
):
    ClientContactFactory(client=client_on, name="Jordan Smith", language="en")
    quote = draft_quote(camille, camille_activity, client_on)
    services.quote_submit(quote=quote, acting_user=camille.user)
    services.quote_validate(quote=quote, acting_user=sylvie)
    with django_capture_on_commit_callbacks(execute=True):
        services.quote_send(quote=quote, acting_user=sylvie)
    (message,) = mail.outbox
    assert message.subject.startswith("Quote ")
    assert "Hello," in message.body
