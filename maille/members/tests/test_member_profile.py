import datetime as dt

import pytest

from maille.core.models import User
from maille.members.models import Member, MemberStatus

pytestmark = pytest.mark.django_db

PROFILE = {
    "first_name": "Camille",
    "last_name": "Tremblay",
    "language": "fr",
    "phone": "514-555-1234",
    "street": "1, rue Rachel",
    "city": "Montréal",
    "province": "QC",
    "postal_code": "h2j 2l1",
    "sin": "",
    "bank_account": "",
}


def test_a_member_updates_their_address_and_keeps_their_sin(as_camille, camille):
    response = as_camille.post(f"/members/{camille.pk}/edit/", PROFILE)
    assert response.status_code == 302
    camille.refresh_from_db()
    assert camille.street == "1, rue Rachel"
    assert camille.postal_code == "H2J 2L1"
    assert camille.sin == "130692544"  # empty field keeps the number on file


def test_a_sin_that_fails_its_check_digit_is_refused_in_both_languages(as_camille, camille):
    data = {**PROFILE, "sin": "130 692 545", "street": "changed"}
    fr = as_camille.post(f"/members/{camille.pk}/edit/", data)
    as_camille.cookies["django_language"] = "en"
    en = as_camille.post(f"/members/{camille.pk}/edit/", data)
    assert "Ce numéro d&#x27;assurance sociale n&#x27;est pas valide" in fr.text
    assert "This social insurance number is not valid" in en.text
    camille.refresh_from_db()
    assert camille.street != "changed"
    assert camille.sin == "130692544"


def test_a_new_bank_account_is_saved_and_shown_masked(as_camille, camille):
    as_camille.post(
        f"/members/{camille.pk}/edit/", {**PROFILE, "bank_account": "003-10001-7654321"}
    )
    camille.refresh_from_db()
    assert camille.bank_account == "003-10001-7654321"
    page = as_camille.get(f"/members/{camille.pk}/").text
    assert "7654321" not in page
    assert "•••4321" in page


def test_staff_admit_a_member(as_sylvie):
    response = as_sylvie.post(
        "/members/new/",
        {**PROFILE, "email": "nouvelle@maille.test", "first_name": "Noémie", "sin": "046 454 286"},
    )
    assert response.status_code == 200  # 046 454 286 is not a valid SIN
    assert not User.objects.filter(email="nouvelle@maille.test").exists()
    response = as_sylvie.post(
        "/members/new/", {**PROFILE, "email": "nouvelle@maille.test", "first_name": "Noémie"}
    )
    member = Member.objects.get(user__email="nouvelle@maille.test")
    assert response.status_code == 302
    assert member.status == MemberStatus.APPLICANT
    assert member.status_changes.count() == 1


def test_a_status_change_is_dated_and_kept_in_history(as_sylvie, camille):
    response = as_sylvie.post(
        f"/members/{camille.pk}/status/",
        {"status": "suspended", "effective_date": "2026-03-01", "reason": "Parts non payées"},
    )
    assert response.status_code == 302
    camille.refresh_from_db()
    change = camille.status_changes.first()
    assert camille.status == MemberStatus.SUSPENDED
    assert change.effective_date == dt.date(2026, 3, 1)
    assert change.changed_by.email == "sylvie@maille.test"
    assert "Parts non payées" in as_sylvie.get(f"/members/{camille.pk}/").text


def test_a_withdrawn_member_can_no_longer_log_in(as_sylvie, camille):
    as_sylvie.post(
        f"/members/{camille.pk}/status/",
        {"status": "withdrawn", "effective_date": "2026-06-30", "reason": "Démission"},
    )
    camille.user.refresh_from_db()
    assert not camille.user.is_active


def test_members_cannot_change_statuses(as_camille, camille):
    response = as_camille.post(
        f"/members/{camille.pk}/status/",
        {"status": "active", "effective_date": "2026-03-01", "reason": "moi"},
    )
    assert response.status_code == 404


def test_staff_see_the_audit_trail_but_members_do_not(as_camille, as_sylvie, camille):
    as_camille.post(f"/members/{camille.pk}/edit/", {**PROFILE, "city": "Laval"})
    staff_page = as_sylvie.get(f"/members/{camille.pk}/").text
    assert "Montréal → Laval" in staff_page
    assert "Montréal → Laval" not in as_camille.get(f"/members/{camille.pk}/").text


def test_the_audit_trail_never_shows_a_sin(as_sylvie, camille):
    response = as_sylvie.post(f"/members/{camille.pk}/edit/", {**PROFILE, "sin": "193 456 787"})
    assert response.status_code == 302
    camille.refresh_from_db()
    assert camille.sin == "193456787"  # the change happened…
    page = as_sylvie.get(f"/members/{camille.pk}/").text
    assert "numéro d&#x27;assurance sociale" in page.lower()  # …is in the trail…
    assert "130692544" not in page  # …without either number
    assert "193456787" not in page
