"""The two activities that belong to the co-op itself (ARCHITECTURE §3)."""

import datetime as dt

from django.db import migrations


def create(apps, schema_editor):
    Activity = apps.get_model("members", "Activity")
    for code, name, kind in (
        ("COOP", "Coopérative — fonctionnement", "coop"),
        ("FONDS", "Fonds de garantie", "fund"),
    ):
        Activity.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "start_date": dt.date(2026, 1, 1)}
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
