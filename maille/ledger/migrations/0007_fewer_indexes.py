"""Fewer indexes to write per line posted (issue 11's bulk posting).

The foreign keys' own indexes of journal lines (account, activity), of
balances (account, activity) and of entries (source type) are each the first
column of another index: dropped. The database side drops them by name, so
SQLite does not rebuild the tables (a rebuild would lose the ledger's
triggers). On PostgreSQL, balances leave room on each page for the running
totals to be updated in place (fillfactor 80, HOT updates).
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = (
    ("ledger_balance", "account_id"),
    ("ledger_balance", "activity_id"),
    ("ledger_journalentry", "source_type_id"),
    ("ledger_journalline", "account_id"),
    ("ledger_journalline", "activity_id"),
)


def drop(apps, schema_editor):
    for table, column in DROPPED:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ledger_balance SET (fillfactor = 80)")


def restore(apps, schema_editor):
    for table, column in DROPPED:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} "
            f"ON {schema_editor.quote_name(table)} ({schema_editor.quote_name(column)})"
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ledger_balance RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ledger", "0006_expense_accounts"),
        ("members", "0003_directorships"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="balance",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="balance",
                    name="activity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="members.activity",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalentry",
                    name="source_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="ledger.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="journalline",
                    name="activity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ledger_lines",
                        to="members.activity",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        )
    ]
