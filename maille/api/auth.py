from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer

from maille.api.services import api_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mt_…`` — a personal token acts as its owner."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        # Errors speak the caller's language: Accept-Language if sent, else
        # the owner's preferred language.
        if not request.headers.get("Accept-Language") and not request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        ):
            translation.activate(user.language)
        return user
