"""What the ``maille`` commands of the daily jobs share: the day they run as, their options."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _


def add_job_options(parser: CommandParser, *, dry_run_help: str = "") -> None:
    """A daily job run by hand: ``--date`` (today by default), ``--dry-run`` when the job
    has one (``dry_run_help`` says what it spares), ``--json``."""
    parser.add_argument("--date", type=str, default=None, help="YYYY-MM-DD (today by default)")
    if dry_run_help:
        parser.add_argument("--dry-run", action="store_true", help=dry_run_help)
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")


def date_option(text: str | None) -> dt.date | None:
    """A job's ``--date``: None when not given (today), else the YYYY-MM-DD date, or a
    ``CommandError`` saying what is wrong."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            _("--date: give a date as YYYY-MM-DD, not %(v)s.") % {"v": text}
        ) from exc


def iso_date(value: str) -> dt.date:
    """An argparse ``type`` for a date option: YYYY-MM-DD, or a ``CommandError`` naming it."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc
