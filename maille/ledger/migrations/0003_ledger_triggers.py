"""The ledger's rules, held by the database too (ARCHITECTURE §3).

PostgreSQL:
- a constraint trigger deferred to commit checks each new entry: its lines
  sum to zero, there are as many as it was posted with, and they carry its date;
- after each INSERT of lines, a statement trigger refuses lines on a closed
  account and lines added to an entry beyond its declared count (that is, to a
  posted entry);
- entries in a closed period are refused;
- posted entries and lines can be neither updated nor deleted.

SQLite has no deferred triggers, so the balance check runs when the last of
the declared lines arrives (``line_count``); an entry left with fewer lines
than declared is not caught there (``maille ledger verify`` catches it). The
other rules are the same.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION ledger_entry_check() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        n bigint;
        total numeric;
        wrong_date bigint;
    BEGIN
        SELECT count(*), coalesce(sum(amount), 0), count(*) FILTER (WHERE date <> NEW.date)
          INTO n, total, wrong_date
          FROM ledger_journalline WHERE entry_id = NEW.id;
        IF total <> 0 THEN
            RAISE EXCEPTION 'journal entry % does not balance: its lines sum to %',
                NEW.number, total USING ERRCODE = 'check_violation';
        END IF;
        IF n <> NEW.line_count THEN
            RAISE EXCEPTION 'journal entry % has % lines but was posted with %',
                NEW.number, n, NEW.line_count USING ERRCODE = 'check_violation';
        END IF;
        IF wrong_date > 0 THEN
            RAISE EXCEPTION 'journal entry % has lines dated otherwise than the entry',
                NEW.number USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_entry_balanced
    AFTER INSERT ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_check();
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_lines_check() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM ledger_new_lines n JOIN ledger_account a ON a.id = n.account_id
            WHERE NOT a.is_open
        ) THEN
            RAISE EXCEPTION 'journal lines on a closed account'
                USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (
            SELECT 1
              FROM (SELECT DISTINCT entry_id FROM ledger_new_lines) x
              JOIN ledger_journalentry e ON e.id = x.entry_id
             WHERE (SELECT count(*) FROM ledger_journalline l WHERE l.entry_id = x.entry_id)
                   > e.line_count
        ) THEN
            RAISE EXCEPTION 'lines added to a posted journal entry'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE TRIGGER ledger_lines_insert
    AFTER INSERT ON ledger_journalline
    REFERENCING NEW TABLE AS ledger_new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_check();
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_entry_open_period() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM ledger_period
            WHERE is_closed AND month = date_trunc('month', NEW.date)::date
        ) THEN
            RAISE EXCEPTION 'the period of % is closed', NEW.date
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;
    """,
    """
    CREATE TRIGGER ledger_entry_open_period
    BEFORE INSERT ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_open_period();
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'posted rows of % cannot be changed or deleted: post a reversing entry',
            TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END $$;
    """,
    """
    CREATE TRIGGER ledger_journalline_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalline
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
    """,
    """
    CREATE TRIGGER ledger_journalentry_immutable
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS ledger_journalentry_immutable ON ledger_journalentry;",
    "DROP TRIGGER IF EXISTS ledger_journalline_immutable ON ledger_journalline;",
    "DROP TRIGGER IF EXISTS ledger_entry_open_period ON ledger_journalentry;",
    "DROP TRIGGER IF EXISTS ledger_lines_insert ON ledger_journalline;",
    "DROP TRIGGER IF EXISTS ledger_entry_balanced ON ledger_journalentry;",
    "DROP FUNCTION IF EXISTS ledger_immutable();",
    "DROP FUNCTION IF EXISTS ledger_entry_open_period();",
    "DROP FUNCTION IF EXISTS ledger_lines_check();",
    "DROP FUNCTION IF EXISTS ledger_entry_check();",
]

_LINES_OF_NEW_ENTRY = "(SELECT count(*) FROM ledger_journalline WHERE entry_id = NEW.entry_id)"
_DECLARED = "(SELECT line_count FROM ledger_journalentry WHERE id = NEW.entry_id)"

SQLITE = [
    """
    CREATE TRIGGER ledger_journalline_no_update BEFORE UPDATE ON ledger_journalline
    BEGIN SELECT RAISE(ABORT, 'posted journal lines cannot be changed: post a reversing entry'); END;
    """,
    """
    CREATE TRIGGER ledger_journalline_no_delete BEFORE DELETE ON ledger_journalline
    BEGIN SELECT RAISE(ABORT, 'posted journal lines cannot be deleted: post a reversing entry'); END;
    """,
    """
    CREATE TRIGGER ledger_journalentry_no_update BEFORE UPDATE ON ledger_journalentry
    BEGIN SELECT RAISE(ABORT, 'posted journal entries cannot be changed: post a reversing entry'); END;
    """,
    """
    CREATE TRIGGER ledger_journalentry_no_delete BEFORE DELETE ON ledger_journalentry
    BEGIN SELECT RAISE(ABORT, 'posted journal entries cannot be deleted: post a reversing entry'); END;
    """,
    """
    CREATE TRIGGER ledger_entry_open_period BEFORE INSERT ON ledger_journalentry
    WHEN EXISTS (SELECT 1 FROM ledger_period
                 WHERE is_closed AND month = date(NEW.date, 'start of month'))
    BEGIN SELECT RAISE(ABORT, 'the period of this journal entry is closed'); END;
    """,
    """
    CREATE TRIGGER ledger_line_open_account BEFORE INSERT ON ledger_journalline
    WHEN (SELECT NOT is_open FROM ledger_account WHERE id = NEW.account_id)
    BEGIN SELECT RAISE(ABORT, 'journal lines on a closed account'); END;
    """,
    """
    CREATE TRIGGER ledger_line_entry_date BEFORE INSERT ON ledger_journalline
    WHEN NEW.date <> (SELECT date FROM ledger_journalentry WHERE id = NEW.entry_id)
    BEGIN SELECT RAISE(ABORT, 'journal line dated otherwise than its entry'); END;
    """,
    f"""
    CREATE TRIGGER ledger_line_count AFTER INSERT ON ledger_journalline
    WHEN {_LINES_OF_NEW_ENTRY} > {_DECLARED}
    BEGIN SELECT RAISE(ABORT, 'lines added to a posted journal entry'); END;
    """,
    f"""
    CREATE TRIGGER ledger_line_balance AFTER INSERT ON ledger_journalline
    WHEN {_LINES_OF_NEW_ENTRY} = {_DECLARED}
     AND (SELECT round(sum(amount), 2) FROM ledger_journalline
          WHERE entry_id = NEW.entry_id) <> 0
    BEGIN SELECT RAISE(ABORT, 'journal entry does not balance'); END;
    """,
]

SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "ledger_journalline_no_update",
        "ledger_journalline_no_delete",
        "ledger_journalentry_no_update",
        "ledger_journalentry_no_delete",
        "ledger_entry_open_period",
        "ledger_line_open_account",
        "ledger_line_entry_date",
        "ledger_line_count",
        "ledger_line_balance",
    )
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            # params=None: no %-interpolation, PL/pgSQL uses % for its own.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_chart_of_accounts")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
