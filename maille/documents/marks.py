"""Sent and viewed: the first time only, by a conditional update (no race, no lock)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


def mark_sent(document: models.Model) -> None:
    type(document)._default_manager.filter(pk=document.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


def mark_viewed(document: models.Model) -> None:
    """The recipient opened the document (its link, its PDF)."""
    type(document)._default_manager.filter(pk=document.pk, viewed_at__isnull=True).update(
        viewed_at=timezone.now()
    )
