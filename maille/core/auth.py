"""Login protection: who may try a password, how often, and what a session
must have passed before it reaches anything.

- The co-op admits its members; nobody signs up alone (``AccountAdapter``).
- Failed passwords are counted by django-axes per (account, address) and per
  account (``login_username``, ``AxesHandler``); docs/decisions/0005.
- A session of an account that has a second factor must have passed it in
  this session (``session_passed_second_factor``); the middleware enforces it
  on every page, the admin and the API.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def client_ip(request: HttpRequest) -> str:
    """The client's address for login throttling (django-axes).

    Behind ``TRUSTED_PROXY_COUNT`` proxies (a load balancer), the address is
    the one the outermost trusted proxy saw, read from X-Forwarded-For from the
    right; otherwise REMOTE_ADDR. Without this, every person would share the
    proxy's address and five wrong passwords would lock an account for all.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.MAILLE_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote
    return str(forwarded[-proxies])


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a login attempt is about, as django-axes records it.

    allauth authenticates with ``email=…``, Django's own forms with
    ``username=…``, and the login form posts ``login``: axes alone reads one
    field name, so attempts were recorded without an account and the lock fell
    on the address alone. Emails are compared without case (allauth finds the
    account whatever the case), so ``Camille@…`` and ``camille@…`` count as one.
    """
    value: Any = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        data = request.POST
        value = data.get("login") or data.get("username") or data.get("email")
    if not value:
        return None
    return str(value).strip().lower()[:255] or None


def account_failures(username: str) -> int:
    """Failed passwords for one account from every address, within the cool-off."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    total = attempts.aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class AxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler with a second, higher limit per account.

    axes locks a (account, address) pair after ``AXES_FAILURE_LIMIT`` failures,
    so one office address cannot lock out its neighbours. Guessing one
    account's password from many addresses is stopped by the per-account
    limit (``MAILLE_LOGIN_ACCOUNT_FAILURE_LIMIT`` failures within the cool-off).
    """

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        if not username:
            return False
        return account_failures(username) >= settings.MAILLE_LOGIN_ACCOUNT_FAILURE_LIMIT


def session_passed_second_factor(request: HttpRequest) -> bool:
    """Whether the person behind this session gave their second factor in it
    (allauth records each authentication step of a session; a login through
    any other door records none)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def record_second_factor_set_up(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    """Setting up a second factor proves it (a code from the new app): the
    session that did it has passed it, and is not logged out for lacking it."""
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
