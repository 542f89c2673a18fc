from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def maille(request: HttpRequest) -> dict[str, Any]:
    return {
        "COOP_NAME": settings.MAILLE_COOP_NAME,
        "DEMO_MODE": not settings.PRODUCTION,
        "STAFF_MFA_REQUIRED": settings.MAILLE_REQUIRE_STAFF_MFA,
    }
