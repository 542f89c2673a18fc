from __future__ import annotations

from maille.core.exceptions import DomainError


class GovernanceError(DomainError):
    """A governance operation the by-laws or the Act refuse, with a message for the person."""

    http_status = 422


class AlreadyVoted(GovernanceError):
    """This member has already voted on this ballot (one member, one vote)."""

    http_status = 409


class NotYetCounted(GovernanceError):
    """The results of a ballot are asked before its count: the state of the
    ballot, not the request, is what refuses them."""

    http_status = 409


class TooManyApplications(GovernanceError):
    """Past the public application's limit of attempts from one address
    (``forms.application_rate_limited``): 429 Too Many Requests."""

    http_status = 429


class NoBylaws(GovernanceError):
    """No by-law settings are in force on the date asked (e.g. a date before the first)."""
