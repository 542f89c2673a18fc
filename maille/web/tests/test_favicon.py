"""Issue 10, bug 14: /favicon.ico was a 404."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("maille/favicon.ico")
    path = finders.find("maille/favicon.ico")
    assert path is not None
    with open(path, "rb") as fh:
        assert fh.read(4) == b"\x00\x00\x01\x00"  # an ICO file
