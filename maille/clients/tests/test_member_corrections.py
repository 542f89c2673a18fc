"""Issue 10: members correct a client they work with and add or edit its
contacts, with the audit trail; staff are told of tax-identifier changes."""

from __future__ import annotations

import pytest

from maille.clients.models import ClientContact
from maille.contracts.tests.helpers import draft_quote
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def _form(client, **changes):
    data = {
        "legal_name": client.legal_name,
        "kind": client.kind,
        "street": client.street,
        "city": client.city,
        "province": client.province,
        "postal_code": client.postal_code,
        "country": client.country,
        "gst_number": client.gst_number,
        "qst_number": client.qst_number,
        "neq": client.neq,
        "language": client.language,
    }
    data.update(changes)
    return data


def test_a_member_corrects_a_client_she_works_with_and_staff_are_told(
    as_camille,
    camille,
    camille_activity,
    client_qc,
    sylvie,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    draft_quote(camille, camille_activity, client_qc)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_camille.post(
            f"/clients/{client_qc.pk}/edit/",
            _form(client_qc, street="2000, rue Sainte-Catherine", gst_number="123456782 RT0001"),
        )
    assert response.status_code == 302
    client_qc.refresh_from_db()
    assert client_qc.street == "2000, rue Sainte-Catherine"
    assert client_qc.gst_number == "123456782RT0001"
    assert client_qc.history.first().history_user == camille.user
    assert [m.to for m in mailoutbox] == [[sylvie.email]]
    assert "123456782RT0001" in mailoutbox[0].body


def test_a_street_correction_does_not_disturb_staff(
    as_camille,
    camille,
    camille_activity,
    client_qc,
    sylvie,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    draft_quote(camille, camille_activity, client_qc)
    with django_capture_on_commit_callbacks(execute=True):
        as_camille.post(f"/clients/{client_qc.pk}/edit/", _form(client_qc, city="Laval"))
    assert mailoutbox == []


def test_a_member_who_never_worked_with_the_client_cannot_correct_it(as_jerome, client_qc):
    assert as_jerome.get(f"/clients/{client_qc.pk}/edit/").status_code == 404
    assert as_jerome.post(f"/clients/{client_qc.pk}/contacts/", {"name": "X"}).status_code == 404


def test_a_member_adds_and_edits_a_contact_without_portal_login(
    as_camille, camille, camille_activity, client_qc
):
    draft_quote(camille, camille_activity, client_qc)
    as_camille.post(
        f"/clients/{client_qc.pk}/contacts/",
        {
            "name": "Louise Roy",
            "email": "louise@fleuve.test",
            "language": "fr",
            "portal_access": "on",
        },
    )
    contact = ClientContact.objects.get(email="louise@fleuve.test")
    assert contact.user is None  # portal logins are staff's to give
    as_camille.post(
        f"/clients/{client_qc.pk}/contacts/{contact.pk}/",
        {
            "name": "Louise Roy",
            "email": "l.roy@fleuve.test",
            "language": "en",
            "title": "Directrice",
        },
    )
    contact.refresh_from_db()
    assert (contact.email, contact.language, contact.title) == (
        "louise@fleuve.test",
        "en",
        "Directrice",
    )
    assert contact.history.first().history_user == camille.user
    other = factories.ClientContactFactory(client=factories.ClientFactory())
    url = f"/clients/{client_qc.pk}/contacts/{other.pk}/"
    assert as_camille.get(url).status_code == 404
