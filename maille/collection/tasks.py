"""Collection's jobs, each defined beside the work it runs: the daily run
(``dunning``, started by ``maille scheduler``), its emails (``mail``) and its
letters (``letters``). Named here too, where the scheduler and jobs queued
before they moved find them."""

from __future__ import annotations

from maille.collection.dunning import collection_daily_run
from maille.collection.letters import collection_letters
from maille.collection.mail import collection_emails

__all__ = ["collection_daily_run", "collection_emails", "collection_letters"]
