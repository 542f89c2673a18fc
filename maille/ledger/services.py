"""Writes to the ledger: posting entries, reversing them, closing periods.

Every other app posts through ``entry_post`` (or ``entries_post_many`` for bulk
loads); nothing else writes journal rows. A posting is checked by the small pure
functions of ``checks`` that each return the problems they find, so a refused entry names
every problem at once (the beancount validation style); the database then
checks the same rules again (migration ``0003_ledger_triggers``).

Services are ``@transaction.atomic`` but not durable: invoicing, payroll and
the others post inside their own transaction, so the document and its entry
commit together or not at all.

Concurrency: each posting locks the ``journal_entry`` counter row until its
transaction ends. That makes entry numbers gapless, makes two postings of the
same idempotency key queue so the second finds the first, and lets a period
close wait for the postings in flight. Running balances are updated with an
additive upsert, so no update is lost even without that lock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.bulk import loaded
from maille.core.dates import far_from_today
from maille.core.models import User
from maille.core.money import ZERO
from maille.ledger.checks import (
    MAX_AMOUNT,
    MAX_DESCRIPTION,
    MAX_KEY,
    entry_problems,
    month_of,
)
from maille.ledger.checks import LineSpec as LineSpec  # the services' input, checked there
from maille.ledger.exceptions import PeriodAlreadyClosed, PeriodError, PostingError
from maille.ledger.models import (
    Account,
    Balance,
    Counter,
    JournalEntry,
    JournalLine,
    Period,
    PeriodAction,
    PeriodEvent,
)
from maille.members.models import Activity

ENTRY_COUNTER = "journal_entry"
# The books are kept six years (Loi sur l'administration fiscale, art. 35.1):
# ten years back covers them; an older month is a typing slip (0001-01).
PERIOD_CLOSE_YEARS = 10


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """One entry for ``entries_post_many``."""

    date: dt.date
    description: str
    lines: Sequence[LineSpec]
    idempotency_key: str
    source: models.Model | None = None


# --- Posting ----------------------------------------------------------------


def _lock_ledger() -> Counter:
    """Take the entry counter row until commit: ledger writers queue here."""
    counter = Counter.objects.select_for_update().filter(name=ENTRY_COUNTER).first()
    if counter is None:  # a database flushed by a test, say
        counter, _created = Counter.objects.get_or_create(name=ENTRY_COUNTER)
        counter = Counter.objects.select_for_update().get(name=ENTRY_COUNTER)
    return counter


def _accounts(codes: Iterable[str]) -> dict[str, Account]:
    return {a.code: a for a in Account.objects.filter(code__in=set(codes))}


def _closed_months(dates: Iterable[dt.date]) -> set[dt.date]:
    months = {month_of(d) for d in dates}
    return set(
        Period.objects.filter(month__in=months, is_closed=True).values_list("month", flat=True)
    )


def _source_fields(
    source: models.Model | None, types: dict[type[models.Model], int] | None = None
) -> dict[str, Any]:
    """The entry's source columns; ``types`` caches the content type ids over a
    bulk posting (ContentType's own cache costs a lookup per entry)."""
    # By id: a model's __init__ looks up the default of every foreign key it
    # is not given, which costs more than the rest of a bulk posting.
    if source is None:
        return {"source_type_id": None, "source_id": None}
    if source.pk is None:
        raise PostingError([_("The source document has not been saved.")])
    cache = {} if types is None else types
    model = type(source)
    if model not in cache:
        cache[model] = ContentType.objects.get_for_model(source).pk
    return {"source_type_id": cache[model], "source_id": source.pk}


Movement = tuple[int, int, dt.date, Decimal]  # account id, activity id, date, amount


_BALANCE_UPSERT = (
    "ON CONFLICT (account_id, activity_id, month) "
    f"DO UPDATE SET amount = {Balance._meta.db_table}.amount + excluded.amount"
)


def _add_lines_to_balances(entry_ids: list[int]) -> None:
    """PostgreSQL: add these entries' lines to the running balances, summed by
    the database in the one order every writer uses (no deadlock). The lines
    are found by their entry's key (an index lookup, not a join: a join's plan
    went astray on a journal whose statistics lag behind a bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Balance._meta.db_table} (account_id, activity_id, month, amount) "  # noqa: S608
            "SELECT account_id, activity_id, date_trunc('month', date)::date, sum(amount) "
            f"FROM {JournalLine._meta.db_table} WHERE entry_id = ANY(%s) "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 " + _BALANCE_UPSERT,
            [entry_ids],
        )


def _add_to_balances(movements: Iterable[Movement]) -> None:
    """Add the lines to the running balances with one additive upsert.

    ``amount = amount + excluded.amount`` is computed by the database on the
    locked row, so two postings touching the same balance never lose one.
    """
    totals: dict[tuple[int, int, dt.date], Decimal] = defaultdict(Decimal)
    for account_id, activity_id, date, amount in movements:
        totals[(account_id, activity_id, month_of(date))] += amount
    rows = sorted(totals.items())  # one order for every writer: no deadlock
    table, upsert = Balance._meta.db_table, _BALANCE_UPSERT
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (account_id, activity_id, month, amount) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::numeric[]) "
                + upsert,
                [
                    [k[0] for k, _v in rows],
                    [k[1] for k, _v in rows],
                    [k[2] for k, _v in rows],
                    [v for _k, v in rows],
                ],
            )
            return
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            params: list[Any] = []
            for (account_id, activity_id, month), amount in chunk:
                params += [account_id, activity_id, month, amount]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (account_id, activity_id, month, amount) "  # noqa: S608
                f"VALUES {values} " + upsert,
                params,
            )


@transaction.atomic
def entry_post(
    *,
    date: dt.date,
    description: str,
    lines: Sequence[LineSpec],
    idempotency_key: str,
    acting_user: User | None,
    source: models.Model | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry, or return the entry already posted with this key.

    Raises ``PostingError`` listing every problem when the entry is refused.
    """
    existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    lines = list(lines)
    counter = _lock_ledger()
    # Another posting of the same key may have committed while we waited.
    existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    problems = entry_problems(
        date=date,
        description=description,
        lines=lines,
        idempotency_key=idempotency_key,
        accounts=(accounts := _accounts(line.account for line in lines)),
        closed_months=_closed_months([date]),
    )
    if problems:
        raise PostingError(problems)
    counter.value += 1
    Counter.objects.filter(name=ENTRY_COUNTER).update(value=F("value") + 1)
    entry = JournalEntry.objects.create(
        number=counter.value,
        date=date,
        description=description,
        idempotency_key=idempotency_key,
        line_count=len(lines),
        reverses=reverses,
        posted_by=acting_user,
        posted_at=timezone.now(),
        **_source_fields(source),
    )
    rows = JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry=entry,
                account=accounts[line.account],
                activity=line.activity,
                amount=Decimal(line.amount),
                date=date,
                memo=line.memo,
            )
            for line in lines
        ]
    )
    _add_to_balances((r.account_id, r.activity_id, r.date, r.amount) for r in rows)
    return entry


def entries_post_many(
    *, entries: Sequence[EntrySpec], acting_user: User | None, savepoint: bool = True
) -> list[JournalEntry]:
    """Post many entries at once, all or none (imports, demo data, benchmarks).

    The same checks as ``entry_post``; keys already posted are returned as
    they are. Returns the entries in the order given.

    ``savepoint=False`` is for a caller whose whole transaction rolls back on
    any error of ours (issuing an invoice): it saves the savepoint's two round
    trips. Either way nothing is written unless everything is.
    """
    with transaction.atomic(savepoint=savepoint):
        return _entries_post_many(entries, acting_user)


def _entries_post_many(
    entries: Sequence[EntrySpec], acting_user: User | None
) -> list[JournalEntry]:
    keys = [spec.idempotency_key for spec in entries]
    counter = _lock_ledger()
    posted = {e.idempotency_key: e for e in _posted(keys)}
    todo: list[EntrySpec] = []
    seen: set[str] = set(posted)
    for spec in entries:
        if spec.idempotency_key not in seen:
            seen.add(spec.idempotency_key)
            todo.append(spec)
    accounts = _accounts(line.account for spec in todo for line in spec.lines)
    closed = _closed_months(spec.date for spec in todo)
    problems = []
    for spec in todo:
        if _plainly_fine(spec, accounts, closed):
            continue
        problems += [
            _("Entry %(key)s: %(problem)s") % {"key": spec.idempotency_key, "problem": problem}
            for problem in entry_problems(
                date=spec.date,
                description=spec.description,
                lines=spec.lines,
                idempotency_key=spec.idempotency_key,
                accounts=accounts,
                closed_months=closed,
            )
        ]
    if problems:
        raise PostingError(problems)
    if todo:
        # We hold the counter row's lock since _lock_ledger read it: its value
        # cannot have moved, so the new numbers follow it without a re-read.
        first = counter.value + 1
        if connection.vendor == "postgresql":
            new = _post_postgresql(todo, accounts, first, acting_user)
        else:
            new = _post_portable(todo, accounts, first, acting_user)
        posted.update({e.idempotency_key: e for e in new})
    return [posted[key] for key in keys]


def _posted(keys: list[str]) -> list[JournalEntry]:
    """The entries already posted under these keys (usually none)."""
    if connection.vendor != "postgresql":
        return list(JournalEntry.objects.filter(idempotency_key__in=keys))
    # An array parameter, a thousand keys at a time: Django's ``__in`` resolves
    # each key in Python first, and past a few thousand keys the planner reads
    # the whole journal instead of the key's index (80 ms against 1 ms at
    # 600 000 entries, and growing with the journal).
    found: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 1000):
            cursor.execute(
                f"SELECT id FROM {JournalEntry._meta.db_table} "  # noqa: S608
                "WHERE idempotency_key = ANY(%s::varchar[])",
                [keys[start : start + 1000]],
            )
            found += [row[0] for row in cursor.fetchall()]
    return list(JournalEntry.objects.filter(pk__in=found)) if found else []


def _plainly_fine(spec: EntrySpec, accounts: dict[str, Account], closed: set[dt.date]) -> bool:
    """A quick pass of ``entry_problems``' rules for the common entry; False sends
    the entry through ``entry_problems`` itself, which names what is wrong."""
    description, key = spec.description, spec.idempotency_key
    if not (0 < len(description) <= MAX_DESCRIPTION and description.strip()):
        return False
    if not (0 < len(key) <= MAX_KEY and key.strip()):
        return False
    if not spec.lines or month_of(spec.date) in closed:
        return False
    total = ZERO
    for line in spec.lines:
        amount = line.amount
        if type(amount) is not Decimal or not amount.is_finite() or not amount:
            return False
        exponent = amount.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -2 or abs(amount) > MAX_AMOUNT:
            return False
        account = accounts.get(line.account)
        activity = line.activity
        if account is None or not account.is_open:
            return False
        if not isinstance(activity, Activity) or activity.pk is None:
            return False
        total += amount
    return total == 0


def _post_portable(
    todo: list[EntrySpec], accounts: dict[str, Account], first: int, acting_user: User | None
) -> list[JournalEntry]:
    now = timezone.now()
    types: dict[type[models.Model], int] = {}
    entries_new = [
        JournalEntry(
            number=first + i,
            date=spec.date,
            description=spec.description,
            idempotency_key=spec.idempotency_key,
            line_count=len(spec.lines),
            reverses_id=None,
            posted_by_id=acting_user.pk if acting_user else None,
            posted_at=now,
            **_source_fields(spec.source, types),
        )
        for i, spec in enumerate(todo)
    ]
    lines = [
        (i, accounts[line.account].pk, line.activity.pk, Decimal(line.amount), spec.date, line.memo)
        for i, spec in enumerate(todo)
        for line in spec.lines
    ]
    Counter.objects.filter(name=ENTRY_COUNTER).update(value=F("value") + len(todo))
    new = JournalEntry.objects.bulk_create(entries_new, batch_size=2000)
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry_id=new[i].pk,
                account_id=account_id,
                activity_id=activity_id,
                amount=amount,
                date=date,
                memo=memo,
            )
            for i, account_id, activity_id, amount, date, memo in lines
        ],
        batch_size=5000,
    )
    _add_to_balances((ln[1], ln[2], ln[4], ln[3]) for ln in lines)
    return new


# In the model's field order, as COPY takes them.
_ENTRY_COLUMNS = tuple(f.attname for f in JournalEntry._meta.concrete_fields)


def _post_postgresql(
    todo: list[EntrySpec], accounts: dict[str, Account], first: int, acting_user: User | None
) -> list[JournalEntry]:
    """Bulk posting for PostgreSQL in five statements, whatever the number of entries.

    1. the entries' ids, taken from their sequence in one round trip;
    2. the entries with COPY (no parameters to adapt one by one);
    3. the lines with COPY;
    4. the counter moved past the new numbers;
    5. the running balances, summed by the database from the new lines, in
       one additive upsert (``_add_lines_to_balances``).

    Every trigger fires as for any insert (COPY fires INSERT triggers), and
    the deferred balance check runs at commit. Several times faster than
    INSERT … VALUES or arrays of parameters, which psycopg adapts in Python.
    """
    n = len(todo)
    now = timezone.now()
    posted_by = acting_user.pk if acting_user else None
    types: dict[type[models.Model], int] = {}
    entry_table, line_table = JournalEntry._meta.db_table, JournalLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{entry_table}', 'id')) "  # noqa: S608
            "FROM generate_series(1, %s)",
            [n],
        )
        ids = [row[0] for row in cursor.fetchall()]
        rows = []
        entries = []
        for i, spec in enumerate(todo):
            fields = {
                "id": ids[i],
                "number": first + i,
                "date": spec.date,
                "description": spec.description,
                "idempotency_key": spec.idempotency_key,
                "line_count": len(spec.lines),
                "reverses_id": None,
                "posted_by_id": posted_by,
                "posted_at": now,
                **_source_fields(spec.source, types),
            }
            values = tuple(fields[column] for column in _ENTRY_COLUMNS)
            rows.append(values)
            entries.append(loaded(JournalEntry, fields))
        copy_entries = f"COPY {entry_table} ({', '.join(_ENTRY_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(copy_entries) as copy:
            for values in rows:
                copy.write_row(values)
        copy_lines = (
            f"COPY {line_table} (entry_id, account_id, activity_id, amount, date, memo) FROM STDIN"
        )
        account_ids = {code: account.pk for code, account in accounts.items()}
        with cursor.cursor.copy(copy_lines) as copy:
            write = copy.write_row
            for entry_id, spec in zip(ids, todo, strict=True):
                date = spec.date
                for line in spec.lines:
                    write(
                        (
                            entry_id,
                            account_ids[line.account],
                            line.activity.id,
                            line.amount,
                            date,
                            line.memo,
                        )
                    )
        cursor.execute(
            f"UPDATE {Counter._meta.db_table} SET value = value + %s WHERE name = %s",  # noqa: S608
            [n, ENTRY_COUNTER],
        )
    _add_lines_to_balances(ids)
    return entries


@transaction.atomic
def entry_reverse(
    *, entry: JournalEntry, date: dt.date, acting_user: User | None, reason: str
) -> JournalEntry:
    """Post the mirror image of ``entry``, pointing back to it.

    Reversing the same entry again returns the first reversal: an entry is
    reversed at most once (its idempotency key is derived from the entry).
    """
    problems = []
    if not reason.strip():
        problems.append(_("Give the reason for the reversal."))
    if date < entry.date:
        problems.append(
            _("A reversal cannot be dated before the entry it reverses (%(date)s).")
            % {"date": entry.date.isoformat()}
        )
    key = f"reversal:{entry.pk}"
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if problems:
        raise PostingError(problems)
    lines = [
        LineSpec(
            account=line.account.code,
            activity=line.activity,
            amount=-line.amount,
            memo=line.memo,
        )
        for line in entry.lines.select_related("account", "activity").order_by("id")
    ]
    description = _("Reversal of %(number)s: %(reason)s") % {
        "number": entry.display_number,
        "reason": reason.strip(),
    }
    return entry_post(
        date=date,
        description=description[:MAX_DESCRIPTION],
        lines=lines,
        idempotency_key=key,
        acting_user=acting_user,
        source=entry.source if entry.source_id is not None else None,
        reverses=entry,
    )


# --- Periods ----------------------------------------------------------------


@transaction.atomic
def period_close(*, month: dt.date, acting_user: User, reason: str = "") -> Period:
    """Close a month: no entry may be dated in it any more. Staff only."""
    if not acting_user.is_staff:
        raise PermissionDenied(_("Only staff close periods."))
    month = month_of(month)
    if month > month_of(timezone.localdate()):
        raise PeriodError(_("A month cannot be closed before it begins."))
    if far_from_today(month, years=PERIOD_CLOSE_YEARS):
        raise PeriodError(
            _("Only a month of the last %(n)s years can be closed.") % {"n": PERIOD_CLOSE_YEARS}
        )
    _lock_ledger()  # wait for the postings in flight, so none lands after the close
    period, _created = Period.objects.select_for_update().get_or_create(month=month)
    if period.is_closed:
        raise PeriodAlreadyClosed(_("The period %(month)s is already closed.") % {"month": period})
    period.is_closed = True
    period.save(update_fields=["is_closed"])
    PeriodEvent.objects.create(
        period=period, action=PeriodAction.CLOSE, reason=reason.strip(), acting_user=acting_user
    )
    return period


@transaction.atomic
def period_reopen(*, month: dt.date, acting_user: User, reason: str) -> Period:
    """Reopen a closed month. Admins only, and they say why."""
    if not acting_user.is_superuser:
        raise PermissionDenied(_("Only an administrator reopens a period."))
    if not reason.strip():
        raise PeriodError(_("Give the reason for reopening the period."))
    period = Period.objects.select_for_update().filter(month=month_of(month)).first()
    if period is None or not period.is_closed:
        raise PeriodError(_("This period is not closed."))
    period.is_closed = False
    period.save(update_fields=["is_closed"])
    PeriodEvent.objects.create(
        period=period, action=PeriodAction.REOPEN, reason=reason.strip(), acting_user=acting_user
    )
    return period


# --- Running balances -------------------------------------------------------


@transaction.atomic
def balances_rebuild() -> int:
    """Recompute every running balance from the lines (after a bulk load, or
    to repair what ``maille ledger verify`` reported). Returns the row count."""
    _lock_ledger()
    table = Balance._meta.db_table
    month = (
        "date_trunc('month', date)::date"
        if connection.vendor == "postgresql"
        else "date(date, 'start of month')"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (account_id, activity_id, month, amount) "  # noqa: S608
            f"SELECT account_id, activity_id, {month}, SUM(amount) "
            f"FROM {JournalLine._meta.db_table} GROUP BY 1, 2, 3"
        )
        return int(cursor.rowcount)
