"""The series/year counter moves from contracts to documents: state only, the
table (``contracts_counter``) and its rows stay where they are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("contracts", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Counter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("series", models.CharField(max_length=8)),
                        ("year", models.PositiveSmallIntegerField()),
                        ("last", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "contracts_counter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("series", "year"), name="counter_series_year_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
