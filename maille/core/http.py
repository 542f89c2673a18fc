"""The edge of a request, shared by pages and API endpoints: who is acting.

The API's token authentication sets ``request.user`` to the token's owner (as
``request.auth``), so pages and endpoints ask the same question the same way.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from maille.core.models import User


def acting_user(request: HttpRequest, *, staff_or_member: bool = True) -> User:
    """The person the request acts for: the signed-in user or the API token's owner.

    With ``staff_or_member`` (the default) anyone else — a client contact — gets
    a 404: the pages and endpoints of members and staff do not reveal they exist.
    Views that serve every role (a profile, the ledger's own checks) pass ``False``.
    """
    user: User = request.user  # type: ignore[assignment]
    if staff_or_member and not (user.is_staff or user.is_member):
        raise Http404
    return user


def acting_staff(request: HttpRequest) -> User:
    """The staff user an endpoint reserved to staff acts for: a member gets a 403 (the
    endpoint exists for them to read about), anyone else the 404 of ``acting_user``."""
    user = acting_user(request)
    if not user.is_staff:
        raise PermissionDenied
    return user


def acting_client_contact(request: HttpRequest) -> User:
    """The client contact a portal page acts for; anyone else (staff, members) gets a 404."""
    user = acting_user(request, staff_or_member=False)
    if not user.is_client_contact:
        raise Http404
    return user
