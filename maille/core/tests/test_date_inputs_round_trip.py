"""Issue 10, bug 1: French pages rendered ``<input type="date" value="29/11/2026">``,
which a browser shows empty (it reads only ISO). Every date input round-trips,
in both languages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.utils import translation

from maille.contracts.forms import CancelForm, QuoteForm
from maille.invoicing.forms import FilterForm
from maille.ledger.forms import AsOfForm, DateRangeForm
from maille.members.forms import ActivityCloseForm, ActivityForm, MemberStatusForm
from maille.tests_support.factories import ClientFactory

DAY = dt.date(2026, 11, 29)
FORMS = [QuoteForm, CancelForm, ActivityForm, ActivityCloseForm, MemberStatusForm, FilterForm]
FORMS += [DateRangeForm, AsOfForm]


def _date_fields(form: forms.Form) -> list[str]:
    return [name for name, f in form.fields.items() if isinstance(f, forms.DateField)]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("form_class", FORMS)
def test_every_date_input_shows_and_reads_iso(form_class, language):
    with translation.override(language):
        form = form_class(initial={name: DAY for name in form_class.base_fields})
        for name in _date_fields(form):
            html = str(form[name])
            if 'type="month"' in html:
                continue
            assert 'type="date"' in html, name
            assert re.search(r'value="2026-11-29"', html), (name, html)
            # What the browser sends back is read the same in every language.
            assert form.fields[name].clean("2026-11-29") == DAY


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_quote_edit_page_keeps_its_saved_dates(language, as_camille, camille, camille_activity):
    from maille.contracts.tests.helpers import draft_quote

    quote = draft_quote(camille, camille_activity, ClientFactory(), quote_date=DAY, valid_until=DAY)
    as_camille.cookies["django_language"] = language
    page = as_camille.get(f"/quotes/{quote.pk}/edit/").content.decode()
    assert 'name="quote_date" value="2026-11-29"' in page
    assert 'name="valid_until" value="2026-11-29"' in page
