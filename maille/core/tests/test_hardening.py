"""Holes found in review, closed: each test is the scenario that used to fail."""

import pytest
from django.core.management import CommandError, call_command

from maille.members.models import Activity
from maille.tests_support.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_admin_never_shows_a_members_sin_or_bank_account(as_anne, as_sylvie, camille):
    as_sylvie.post(
        f"/members/{camille.pk}/edit/",
        {
            "first_name": "Camille",
            "last_name": "T",
            "language": "fr",
            "sin": "193 456 787",
            "bank_account": "003-10001-7654321",
        },
    )
    for client in (as_sylvie, as_anne):
        for url in (
            f"/admin/members/member/{camille.pk}/change/",
            f"/admin/members/member/{camille.pk}/history/",
        ):
            page = client.get(url).text
            assert "193456787" not in page and "130692544" not in page
            assert "7654321" not in page


def test_the_admin_cannot_bypass_the_services(as_sylvie, as_anne, client_qc):
    url = f"/admin/clients/client/{client_qc.pk}/change/"
    response = as_anne.post(url, {"legal_name": "x", "qst_number": "garbage"})
    assert response.status_code == 403
    client_qc.refresh_from_db()
    assert client_qc.legal_name != "x"
    assert as_sylvie.get("/admin/members/activity/add/").status_code == 403


def test_staff_without_two_factor_are_held_on_the_api_too(settings, as_sylvie):
    settings.MAILLE_REQUIRE_STAFF_MFA = True
    response = as_sylvie.get("/api/v1/members")
    assert response.status_code == 403
    assert "deux facteurs" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("url", ["/clients/?q=a%00b", "/members/?q=%00", "/activities/?status=%00"])
def test_a_nul_character_is_refused_cleanly(as_sylvie, url):
    assert as_sylvie.get(url).status_code == 400


def test_a_nul_character_in_a_form_is_refused_cleanly(as_camille):
    assert as_camille.post("/tokens/", {"name": "a\x00b"}).status_code == 400


def test_the_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refused"):
        call_command("demo")


def test_pagination_keeps_the_filters(as_sylvie):
    for _ in range(55):
        ClientFactory(province="ON")
    ClientFactory(province="QC")
    page = as_sylvie.get("/clients/?province=ON").text
    assert "province=ON&amp;page=2" in page


def test_members_do_not_see_client_contacts_emails(as_camille, as_sylvie, nathalie, client_qc):
    assert "nathalie@fleuve.test" not in as_camille.get(f"/clients/{client_qc.pk}/").text
    assert "nathalie@fleuve.test" in as_sylvie.get(f"/clients/{client_qc.pk}/").text


def test_a_change_of_name_appears_in_the_members_trail(as_camille, as_sylvie, camille):
    as_camille.post(
        f"/members/{camille.pk}/edit/",
        {"first_name": "Camille", "last_name": "Tremblay-Roy", "language": "fr"},
    )
    assert "Tremblay → Tremblay-Roy" in as_sylvie.get(f"/members/{camille.pk}/").text


def test_staff_cannot_give_the_coop_activity_an_owner(as_sylvie, camille):
    coop = Activity.objects.get(code="COOP")
    response = as_sylvie.post(
        f"/activities/{coop.pk}/edit/",
        {"name": coop.name, "start_date": "2026-01-01", "owners": [camille.pk]},
    )
    assert response.status_code == 200
    assert not coop.owners.exists()


def test_the_history_revert_form_cannot_change_a_record(as_sylvie, as_anne, client_qc):
    client_qc.legal_name = "Nouveau nom"
    client_qc.save()
    first = client_qc.history.order_by("history_id").first()
    url = f"/admin/clients/client/{client_qc.pk}/history/{first.history_id}/"
    for person in (as_sylvie, as_anne):
        assert person.post(url, {"legal_name": "Ancien"}).status_code == 403
    client_qc.refresh_from_db()
    assert client_qc.legal_name == "Nouveau nom"


def test_the_api_refuses_a_nul_character_with_its_json_error(camille, client):
    from maille.api.services import api_token_create

    _row, token = api_token_create(user=camille.user, name="t")
    response = client.get("/api/v1/clients?q=a%00b", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"][0]["field"] is None


def test_every_admin_with_a_history_holds_its_revert_form_to_the_change_permission():
    # simple-history's stock revert form saves on POST for anyone who may view
    # the row: every admin that shows a history must use the guarded one.
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from maille.core.admin_tools import SafeHistoryAdmin

    with_history = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert len(with_history) > 10
    assert [type(a).__name__ for a in with_history if not isinstance(a, SafeHistoryAdmin)] == []
