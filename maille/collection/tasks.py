"""Collection's jobs: the daily run (from ``maille scheduler``) and its emails."""

from __future__ import annotations

from django.tasks import task


@task()
def collection_daily_run() -> int:
    """The daily run at the policy's time; returns how many invoices it examined."""
    from maille.collection.dunning import collection_run

    return collection_run().invoices


@task()
def collection_emails(*, reminder_ids: list[int], told_ids: list[int]) -> int:
    """The run's emails, after it committed: reminders to clients, notices to members."""
    from maille.collection import mail

    return mail.reminders_send(reminder_ids) + mail.members_tell(told_ids)


@task()
def collection_letters(*, reminder_ids: list[int]) -> int:
    """The PDFs of the run's "letter" steps, rendered after it committed and stored."""
    from maille.collection.letters import letters_render

    return letters_render(reminder_ids)
