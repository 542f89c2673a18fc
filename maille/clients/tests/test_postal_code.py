"""Issue 10, bug 2: ``H2X 9Z`` was saved for a Québec client and printed on its
documents. A Canadian postal code has the Canadian format, its first letter
matching the province; other countries keep free text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from maille.clients.models import Client
from maille.clients.services import client_create

pytestmark = pytest.mark.django_db


def _create(user, **fields):
    return client_create(acting_user=user, legal_name="Studio Nord inc.", **fields)


def test_a_malformed_canadian_postal_code_is_refused(camille):
    with pytest.raises(ValidationError) as exc:
        _create(camille.user, province="QC", postal_code="H2X 9Z")
    assert "postal_code" in exc.value.message_dict
    assert not Client.objects.exists()


def test_the_first_letter_must_match_the_province(camille):
    with pytest.raises(ValidationError) as exc:
        _create(camille.user, province="QC", postal_code="M5H 1K4")
    assert "postal_code" in exc.value.message_dict


def test_a_good_code_is_written_the_canadian_way(camille):
    client = _create(camille.user, province="QC", postal_code="h2x1y4")
    assert client.postal_code == "H2X 1Y4"


def test_other_countries_keep_their_postal_code(camille):
    client = _create(camille.user, country="FR", postal_code="75011")
    assert client.postal_code == "75011"


def test_the_form_names_the_field_in_french(as_camille, camille):
    page = as_camille.post(
        "/clients/new/",
        {
            "legal_name": "Studio Nord inc.",
            "kind": "business",
            "province": "QC",
            "postal_code": "H2X 9Z",
            "country": "CA",
            "language": "fr",
        },
    ).content.decode()
    assert "Ce code postal canadien n&#x27;est pas valide" in page
    assert not Client.objects.exists()
