"""django-allauth adapter: the co-op admits its members, nobody signs up alone."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


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
