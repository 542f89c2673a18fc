"""The co-op's starting employer figures for payroll (issue 5), valid from
2026-01-01: the defaults the CLI and the simulator used before they were
settings. The admins replace them by adding a dated row (admin), never by
editing one already used for a pay."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

NOTE = (
    "[check] CNESST 1,54 $ par 100 $ : taux moyen 2026 (source secondaire, "
    "reference/quebec-2026.md §2), pas encore le taux de l'unité de classification "
    "de la coopérative (avis de la CNESST à saisir). "
    "FSS : employeur du secteur général dont la masse salariale totale est d'au plus "
    "1 M$ (1,65 %, TP-1015.F 2026 p. 8) ; masse salariale totale à estimer par le CA "
    "(elle ne change le taux qu'au-delà de 1 M$). "
    "FDRCMO (1 %) : s'appliquerait au-delà de 2 M$ de masse salariale."
)


def create(apps, schema_editor):
    Settings = apps.get_model("payroll", "EmployerPayrollSettings")
    Settings.objects.get_or_create(
        valid_from=dt.date(2026, 1, 1),
        defaults={
            "cnesst_unit_code": "",
            "cnesst_unit_label": "À confirmer (avis de classification de la CNESST)",
            "cnesst_rate": Decimal("1.54"),
            "fss_sector": "general",
            "total_payroll": Decimal("0.00"),
            "wsdrf_applies": True,
            "note": NOTE,
        },
    )


def remove(apps, schema_editor):
    Settings = apps.get_model("payroll", "EmployerPayrollSettings")
    Settings.objects.filter(valid_from=dt.date(2026, 1, 1), note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
