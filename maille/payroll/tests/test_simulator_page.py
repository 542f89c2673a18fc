"""The salary simulator page: public, French first, English on request, htmx or not."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/simulateur/"
NBSP = "\u00a0"


def test_anyone_can_open_it_without_logging_in():
    response = Client().get(URL)
    assert response.status_code == 200
    assert "Simulateur de salaire" in response.text


def test_it_is_in_french_by_default():
    text = Client().get(URL, {"invoiced": "5000", "periods": "26"}).text
    assert '<html lang="fr-CA">' in text
    assert f"Facturer 5{NBSP}000,00{NBSP}$ par mois avant taxes vous verse" in text
    assert "toutes les deux semaines" in text
    assert "Ce que le statut de salarié·e vous apporte" in text
    assert "Régime de rentes du Québec (RRQ)" in text


def test_it_is_in_english_with_the_language_cookie():
    client = Client()
    client.cookies["django_language"] = "en"
    text = client.get(URL, {"invoiced": "5000", "periods": "26"}).text
    assert '<html lang="en-CA">' in text
    assert "Invoicing $5,000.00 a month before tax pays you" in text
    assert "What employee status brings" in text


def test_without_javascript_a_plain_get_gives_the_whole_page_with_the_result():
    text = Client().get(URL, {"net": "1500", "periods": "26"}).text
    assert "<html" in text
    assert f"Pour recevoir 1{NBSP}500,00{NBSP}$ net toutes les deux semaines" in text
    assert 'method="get"' in text


def test_htmx_gets_only_the_result_fragment():
    response = Client().get(URL, {"net": "1500", "periods": "26"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<form" not in response.text
    assert 'class="simulation"' in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_the_result_shows_the_breakdown_and_an_accessible_chart():
    text = Client().get(URL, {"invoiced": "5000"}).text
    assert '<svg viewBox="0 0 1000 60"' in text
    assert 'role="img"' in text
    assert 'aria-labelledby="pay-chart-title pay-chart-desc"' in text
    assert "<desc" in text
    assert "Contribution à la coopérative (6,5" in text
    assert "Cotisations de l'employeur" in text
    assert "Indemnité de vacances" in text
    # SVG coordinates are never localized (6,5 would break the drawing).
    for value in re.findall(r' (?:x|width)="([^"]*)"', text):
        assert re.fullmatch(r"\d+(\.\d+)?", value), value


def test_a_contract_spread_over_several_pays():
    text = Client().get(URL, {"invoiced": "10000", "basis": "contract", "pays": "4"}).text
    assert f"Un contrat de 10{NBSP}000,00{NBSP}$ avant taxes, payé sur 4 paies" in text


def test_bad_input_gets_a_message_not_an_error():
    response = Client().get(URL, {"invoiced": "beaucoup"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "La simulation n'a pas pu être faite" in response.text
    assert "Je facture, avant taxes ($)" in response.text
    too_much = Client().get(URL, {"net": "-3"}).text
    assert "vérifiez le formulaire" in too_much


def test_the_page_has_no_inline_script_or_style_for_the_content_security_policy():
    response = Client().get(URL, {"invoiced": "5000"})
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    text = response.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert "<style" not in text
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)  # no inline event handlers
    assert "/static/payroll/simulator.css" in text


def test_a_history_restore_gets_the_whole_page():
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = Client().get(URL, {"net": "1500"}, headers=headers)
    assert "<html" in response.text
    assert 'class="simulation"' in response.text
