"""The counter now belongs to the documents app (state only; the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("documents", "0001_counter")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Counter")],
            database_operations=[],
        ),
    ]
