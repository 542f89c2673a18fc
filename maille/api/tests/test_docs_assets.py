"""Issue 10, bug 9: /api/v1/docs was blank: Swagger UI came from a CDN that the
app's own CSP blocks. Its assets are served by the app."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_swagger_from_the_app(as_camille):
    response = as_camille.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    for source in sources:
        assert not source.startswith(("http://", "https://", "//")), source
        assert finders.find(source.removeprefix("/static/")) is not None, source
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "cdn" not in policy
