"""Adding a client: every identifier checked, duplicates flagged, nothing half-saved."""

import pytest

from maille.clients.models import Client

pytestmark = pytest.mark.django_db

GOOD = {
    "legal_name": "Studio Boréal inc.",
    "kind": "business",
    "street": "10, rue King",
    "city": "Sherbrooke",
    "province": "QC",
    "postal_code": "J1H 1P1",
    "country": "CA",
    "gst_number": "123456782 RT0001",
    "qst_number": "1234567890 TQ0001",
    "neq": "1145678901",
    "language": "fr",
}


def test_a_member_adds_a_client(as_camille):
    response = as_camille.post("/clients/new/", GOOD)
    client = Client.objects.get()
    assert response.status_code == 302
    assert client.gst_number == "123456782RT0001"
    assert client.qst_number == "1234567890TQ0001"
    assert client.history.get().history_user.email == "camille@maille.test"


@pytest.mark.parametrize(
    ("field", "value", "french", "english"),
    [
        ("gst_number", "123456789 RT0001", "Ce numéro de TPS/TVH", "This GST/HST number"),
        ("qst_number", "12345 TQ0001", "Ce numéro de TVQ", "This QST number"),
        ("province", "", "Un client canadien doit avoir une province", "needs a province"),
    ],
)
def test_bad_identifiers_get_a_clear_message_in_both_languages_and_save_nothing(
    as_camille, field, value, french, english
):
    data = {**GOOD, field: value}
    fr = as_camille.post("/clients/new/", data)
    as_camille.cookies["django_language"] = "en"
    en = as_camille.post("/clients/new/", data)
    assert fr.status_code == en.status_code == 200
    assert field in fr.context["form"].errors
    assert french in fr.text
    assert english in en.text
    assert english not in fr.text
    assert not Client.objects.exists()


def test_a_client_abroad_needs_no_province(as_camille):
    data = {
        **GOOD,
        "province": "",
        "country": "FR",
        "postal_code": "75011",
        "gst_number": "",
        "qst_number": "",
        "neq": "",
    }
    assert as_camille.post("/clients/new/", data).status_code == 302
    assert Client.objects.get().is_abroad


def test_a_likely_duplicate_is_flagged_before_saving(as_camille, client_qc):
    data = {
        **GOOD,
        "legal_name": client_qc.legal_name,
        "postal_code": client_qc.postal_code,
        "gst_number": "",
        "qst_number": "",
        "neq": "",
    }
    response = as_camille.post("/clients/new/", data)
    assert response.status_code == 200
    assert response.context["duplicates"] == [client_qc]
    assert Client.objects.count() == 1
    confirmed = as_camille.post("/clients/new/", {**data, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Client.objects.count() == 2


def test_the_same_business_number_is_a_likely_duplicate(as_camille):
    as_camille.post("/clients/new/", GOOD)
    other = {**GOOD, "legal_name": "Autre nom", "gst_number": "123456782 RT0002"}
    response = as_camille.post("/clients/new/", other)
    assert response.status_code == 200
    assert len(response.context["duplicates"]) == 1


def test_members_cannot_change_a_clients_legal_data(as_camille, client_qc):
    assert as_camille.get(f"/clients/{client_qc.pk}/edit/").status_code == 404


def test_staff_notes_are_hidden_from_members(as_camille, as_sylvie, client_qc):
    client_qc.notes = "Paie toujours en retard"
    client_qc.save()
    assert "Paie toujours en retard" in as_sylvie.get(f"/clients/{client_qc.pk}/").text
    assert "Paie toujours en retard" not in as_camille.get(f"/clients/{client_qc.pk}/").text


def test_staff_see_who_changed_a_client(as_sylvie, client_qc):
    data = {
        **GOOD,
        "legal_name": "Éditions du Fleuve ltée",
        "gst_number": "",
        "qst_number": "",
        "neq": "",
        "notes": "",
    }
    assert as_sylvie.post(f"/clients/{client_qc.pk}/edit/", data).status_code == 302
    page = as_sylvie.get(f"/clients/{client_qc.pk}/").text
    assert "Éditions du Fleuve inc. → Éditions du Fleuve ltée" in page
    assert "Sylvie" in page


def test_a_client_contact_sees_only_their_own_client(as_nathalie, client_qc):
    other = Client.objects.create(legal_name="Autre", province="ON", country="CA")
    home = as_nathalie.get("/").text
    assert client_qc.legal_name in home
    assert other.legal_name not in home
    assert as_nathalie.get(f"/clients/{other.pk}/").status_code == 404
