from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer

from maille.api.services import api_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mt_…`` — a personal token acts as its owner."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        if settings.MAILLE_REQUIRE_STAFF_MFA and user.is_staff and not is_mfa_enabled(user):
            # Where staff must have a second factor, a staff token works only
            # while its owner keeps one (tokens are made on a page that
            # required it; docs/decisions/0005).
            return None
        request.user = user
        # Errors speak the caller's language: Accept-Language if sent, else
        # the owner's preferred language.
        if not request.headers.get("Accept-Language") and not request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        ):
            translation.activate(user.language)
        return user


class SessionAuth(APIKeyCookie):
    """The browser session of a logged-in person (the pages' own htmx calls).

    ninja's ``django_auth`` ran the CSRF check before looking for a session,
    so a write with no token, or a bad one, answered 403 "CSRF check failed"
    instead of 401. CSRF protects a logged-in browser session: the check runs
    only when there is one.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        key: str | None = super()._get_key(request)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None
