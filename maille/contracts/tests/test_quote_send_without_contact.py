"""Issue 10, bug 4: a quote was "sent" (status Envoyée, "C'est fait.") to a client
with no contact: nobody was emailed. Sending refuses; the link may be opened
to be given by hand, and the page says so plainly."""

from __future__ import annotations

import pytest

from maille.contracts import services
from maille.contracts.exceptions import ContractsError
from maille.contracts.models import QuoteStatus, TrustedMember
from maille.contracts.tests.helpers import draft_quote
from maille.tests_support.factories import ClientContactFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(camille, camille_activity, sylvie, monkeypatch):
    monkeypatch.setattr("maille.contracts.documents.quote_pdf", lambda quote: b"%PDF-1.7")
    client = ClientFactory(legal_name="Sans Contact inc.")
    quote = draft_quote(camille, camille_activity, client)
    TrustedMember.objects.get_or_create(member=camille, client=client)
    services.quote_submit(quote=quote, acting_user=camille.user)
    quote.refresh_from_db()
    if quote.status != QuoteStatus.APPROVED:
        services.quote_validate(quote=quote, acting_user=sylvie)
    return quote


def test_sending_to_a_client_without_contact_is_refused(approved, sylvie, mailoutbox):
    with pytest.raises(ContractsError):
        services.quote_send(quote=approved, acting_user=sylvie)
    approved.refresh_from_db()
    assert approved.status == QuoteStatus.APPROVED
    assert mailoutbox == []


def test_the_page_says_it_was_refused_and_offers_the_link_by_hand(approved, as_sylvie):
    page = as_sylvie.post(f"/quotes/{approved.pk}/send/", follow=True).content.decode()
    assert "aucun contact" in page
    assert "C&#x27;est fait." not in page
    page = as_sylvie.post(f"/quotes/{approved.pk}/hand/", follow=True).content.decode()
    assert "personne n&#x27;a reçu de courriel" in page
    assert "/q/" in page  # the link to copy


def test_with_a_contact_the_quote_is_emailed(
    approved, sylvie, mailoutbox, django_capture_on_commit_callbacks
):
    ClientContactFactory(client=approved.client, email="achats@contact.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.quote_send(quote=approved, acting_user=sylvie)
    approved.refresh_from_db()
    assert approved.status == QuoteStatus.SENT
    assert [m.to for m in mailoutbox] == [["achats@contact.test"]]
