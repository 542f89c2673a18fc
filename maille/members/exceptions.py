from __future__ import annotations

from maille.core.exceptions import DomainError


class MembersError(DomainError):
    """A member or activity operation that cannot be done, with a message for the person."""

    http_status = 422


class ActivityClosed(MembersError):
    pass
