"""An expired quote is not sent; contract dates stay sane (ISSUE 8, findings 10 and 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from maille.contracts import services
from maille.contracts.exceptions import ContractsError
from maille.contracts.models import Quote, QuoteStatus
from maille.contracts.tests.helpers import accepted_quote, draft_quote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _approved(camille, activity, client, staff, **fields):
    quote = draft_quote(camille, activity, client, **fields)
    services.quote_submit(quote=quote, acting_user=camille.user)
    return services.quote_validate(quote=quote, acting_user=staff)


def _expire(quote):
    # Drafted 40 days ago, valid 30 days: expired ten days ago.
    day = timezone.localdate()
    Quote.objects.filter(pk=quote.pk).update(
        quote_date=day - dt.timedelta(days=40), valid_until=day - dt.timedelta(days=10)
    )
    quote.refresh_from_db()


def test_an_expired_quote_cannot_be_sent(camille, camille_activity, client_qc, sylvie):
    quote = _approved(camille, camille_activity, client_qc, sylvie)
    _expire(quote)
    with pytest.raises(ContractsError, match="expired"):
        services.quote_send(quote=quote, acting_user=sylvie, email=False)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.APPROVED and not quote.link_nonce


def test_the_api_answers_409_for_an_expired_quote(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    quote = _approved(camille, camille_activity, client_qc, sylvie)
    _expire(quote)
    response = as_sylvie.post(f"/api/v1/quotes/{quote.pk}/send", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "expired" in response.json()["detail"][0]["message"]


def test_a_cancellation_is_dated_between_the_quote_and_today(
    camille, camille_activity, client_qc, sylvie
):
    quote = accepted_quote(camille, camille_activity, client_qc, sylvie)
    for day in (dt.date(9999, 12, 31), quote.quote_date - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as err:
            services.quote_cancel(quote=quote, acting_user=sylvie, cancelled_on=day, reason="x")
        assert "cancelled_on" in err.value.message_dict
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED


def test_the_page_shows_a_bad_cancellation_date_as_a_message(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    quote = accepted_quote(camille, camille_activity, client_qc, sylvie)
    response = as_sylvie.post(
        f"/quotes/{quote.pk}/cancel/", {"cancelled_on": "9999-12-31", "reason": "x"}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED


def test_a_milestone_due_date_stays_near_today(camille, camille_activity, client_qc):
    with pytest.raises(ValidationError) as err:
        draft_quote(
            camille,
            camille_activity,
            client_qc,
            milestones=[{"label": "Fin", "percent": "100", "due_date": dt.date(9999, 12, 31)}],
        )
    assert "milestones.0.due_date" in err.value.message_dict
