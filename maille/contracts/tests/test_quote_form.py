"""Issue 10: starting work is one click; the quote form chooses the activity,
adds and removes lines, and shows subtotal, taxes and total as you type."""

from __future__ import annotations

import datetime as dt

import pytest

from maille.contracts.models import Quote
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def _post(activity, client, **lines):
    data = {
        "activity": activity.pk if activity else "",
        "client": client.pk,
        "title": "Affiche",
        "quote_date": "2026-11-29",
        "valid_until": "2026-12-29",
        "payment_term_days": "30",
        "late_interest_rate": "12,00",
        "ip_option": "assignment",
        "language": "fr",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-description": "Illustration",
        "lines-0-quantity": "12,5",
        "lines-0-unit": "hour",
        "lines-0-unit_price": "80",
        "lines-0-tax_treatment": "standard",
        "lines-1-description": "Ligne retirée",
        "lines-1-quantity": "1",
        "lines-1-unit": "hour",
        "lines-1-unit_price": "999",
        "lines-1-tax_treatment": "standard",
        "lines-1-DELETE": "on",
    }
    data.update(lines)
    return data


def test_new_quote_is_one_click_from_the_quotes_list_a_client_and_an_activity(
    as_camille, camille_activity, client_qc
):
    assert 'href="/quotes/new/"' in as_camille.get("/quotes/").content.decode()
    client_page = as_camille.get(f"/clients/{client_qc.pk}/").content.decode()
    assert f"/quotes/new/?client={client_qc.pk}" in client_page
    activity_page = as_camille.get(f"/activities/{camille_activity.pk}/").content.decode()
    assert f"/quotes/new/?activity={camille_activity.pk}" in activity_page
    form = as_camille.get(f"/quotes/new/?client={client_qc.pk}").content.decode()
    assert f'<option value="{camille_activity.pk}" selected>' in form
    assert f'<option value="{client_qc.pk}" selected>' in form


def test_the_member_chooses_among_her_activities(as_camille, camille, camille_activity, client_qc):
    second = factories.ActivityFactory(
        name="Ateliers", owners=[camille], start_date=dt.date(2026, 1, 1)
    )
    form = as_camille.get("/quotes/new/").content.decode()
    assert camille_activity.code in form and second.code in form
    response = as_camille.post("/quotes/new/", _post(second, client_qc))
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.activity.pk == second.pk
    assert [(line.description, str(line.quantity)) for line in quote.lines.all()] == [
        ("Illustration", "12.500")
    ]


def test_another_members_activity_cannot_be_chosen(as_camille, jerome_activity, client_qc):
    response = as_camille.post("/quotes/new/", _post(jerome_activity, client_qc))
    assert response.status_code == 200
    assert not Quote.objects.exists()


def test_add_a_line_saves_nothing_and_shows_one_more_row(as_camille, camille_activity, client_qc):
    response = as_camille.post(
        "/quotes/new/", {**_post(camille_activity, client_qc), "add_line": "1"}
    )
    assert response.status_code == 200
    assert not Quote.objects.exists()
    assert 'name="lines-TOTAL_FORMS" value="3"' in response.content.decode()


def test_totals_as_you_type(as_camille, camille_activity, client_qc):
    page = as_camille.post("/quotes/totals/", _post(camille_activity, client_qc)).content.decode()
    # 12,5 h × 80 $ = 1 000 $ (the removed line does not count)
    assert "1\u00a0000,00\u00a0$" in page
    assert "TPS (5\u00a0%)" in page and "50,00\u00a0$" in page
    assert "TVQ (9,975\u00a0%)" in page and "99,75\u00a0$" in page
    assert "1\u00a0149,75\u00a0$" in page


def test_totals_without_a_client_say_what_is_missing(as_camille, camille_activity, client_qc):
    data = _post(camille_activity, client_qc)
    data["client"] = ""
    page = as_camille.post("/quotes/totals/", data).content.decode()
    assert "choisissez le client" in page
