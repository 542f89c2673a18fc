"""The co-op's starting contribution policy (ARCHITECTURE §2.4): 6.5 % of the
invoiced subtotal, a quarter of it to the guarantee fund. The board changes
it by adding a dated row (admin), never by editing one in use."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def create(apps, schema_editor):
    Policy = apps.get_model("invoicing", "ContributionPolicy")
    Policy.objects.get_or_create(
        valid_from=dt.date(2000, 1, 1),
        defaults={
            "rate": Decimal("0.06500"),
            "fund_share": Decimal("0.25000"),
            "source": "Politique de départ (modèle SMART : 6,5 %); part du fonds : à confirmer par le CA",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
