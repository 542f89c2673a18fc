from __future__ import annotations


class MembersError(Exception):
    """A member or activity operation that cannot be done, with a message for the person."""


class ActivityClosed(MembersError):
    pass


class NotAMember(MembersError):
    pass
