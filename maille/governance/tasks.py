"""The daily job of governance (``maille scheduler`` enqueues it)."""

from __future__ import annotations

from django.tasks import task

from maille.governance.joining import withdrawn_activities_close


@task()
def governance_close_settled_activities() -> int:
    """Close the activities of withdrawn members once their balances are settled."""
    return len(withdrawn_activities_close())
