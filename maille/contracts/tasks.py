"""Slow work for quotes, run after commit: the email to the client."""

from __future__ import annotations

from django.tasks import task

from maille.contracts import mail


@task()
def quote_email(*, quote_id: int) -> int:
    """Email a sent quote's acceptance link to the client's contacts; returns how many."""
    return mail.quote_email_send(quote_id=quote_id)
