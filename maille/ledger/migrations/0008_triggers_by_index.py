"""The ledger's PostgreSQL checks on insert, by index lookups only.

``ledger_lines_check`` (after each statement inserting journal lines) joined
the new lines to ``ledger_journalentry``. The planner knows nothing of a
transition table, so it hashed the whole journal: every posting statement,
even of one entry, read every entry ever posted (200 ms at 700 000 entries,
and growing). The same rule now looks each touched entry up by its key.

``ledger_entry_open_period`` looked the period up once per entry inserted;
it now runs once per statement over the entries it inserted (the periods
are a few rows). Same rules, same messages; SQLite is unchanged.
"""

from django.db import migrations

LINES_CHECK = """
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
    -- Scalar subqueries, so that each touched entry is found by its key (a
    -- join would let the planner scan the whole journal).
    IF EXISTS (
        SELECT 1
          FROM (SELECT DISTINCT entry_id FROM ledger_new_lines) x
         WHERE (SELECT count(*) FROM ledger_journalline l WHERE l.entry_id = x.entry_id)
               > (SELECT e.line_count FROM ledger_journalentry e WHERE e.id = x.entry_id)
    ) THEN
        RAISE EXCEPTION 'lines added to a posted journal entry'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
"""

OPEN_PERIOD_BY_STATEMENT = [
    "DROP TRIGGER IF EXISTS ledger_entry_open_period ON ledger_journalentry;",
    """
    CREATE OR REPLACE FUNCTION ledger_entries_open_period() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        closed date;
    BEGIN
        SELECT n.date INTO closed
          FROM ledger_new_entries n
          JOIN ledger_period p
            ON p.is_closed AND p.month = date_trunc('month', n.date)::date
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'the period of % is closed', closed
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE TRIGGER ledger_entries_open_period
    AFTER INSERT ON ledger_journalentry
    REFERENCING NEW TABLE AS ledger_new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_open_period();
    """,
]

OPEN_PERIOD_BY_ROW = [
    "DROP TRIGGER IF EXISTS ledger_entries_open_period ON ledger_journalentry;",
    "DROP FUNCTION IF EXISTS ledger_entries_open_period();",
    """
    CREATE TRIGGER ledger_entry_open_period
    BEFORE INSERT ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_open_period();
    """,
]


def _postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements():
                # params=None: no %-interpolation, PL/pgSQL uses % for its own.
                schema_editor.execute(sql, params=None)

    return run


def _forward():
    return [LINES_CHECK, *OPEN_PERIOD_BY_STATEMENT]


def _backward():
    from importlib import import_module

    before = import_module("maille.ledger.migrations.0003_ledger_triggers")
    lines_check = next(sql for sql in before.POSTGRESQL if "FUNCTION ledger_lines_check() RETURNS" in sql)
    return [lines_check, *OPEN_PERIOD_BY_ROW]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_fewer_indexes")]
    operations = [migrations.RunPython(_postgresql(_forward), _postgresql(_backward))]
