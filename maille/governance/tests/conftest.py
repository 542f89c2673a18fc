from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services' messages are matched in English here (the French catalog is
    checked by bin/check-translations); pages and the API answer in the
    person's language."""
    with translation.override("en"):
        yield
