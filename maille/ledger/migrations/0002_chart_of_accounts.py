"""The starting chart of accounts of a Québec worker co-op, and the entry counter.

A frozen copy: later changes to the chart are new migrations or admin edits,
so this file never follows maille/ledger/accounts.py.
"""

from django.db import migrations

CHART = (
    ("1000", "asset", "Encaisse — banque", "Bank"),
    ("1100", "asset", "Comptes clients", "Accounts receivable"),
    ("1200", "asset", "CTI et RTI à recevoir", "Input tax credits and refunds receivable"),
    ("2100", "liability", "TPS à payer", "GST payable"),
    ("2110", "liability", "TVQ à payer", "QST payable"),
    ("2120", "liability", "TVH à payer", "HST payable"),
    ("2200", "liability", "Retenues à la source à payer — fédéral",
     "Source deductions payable — federal"),
    ("2210", "liability", "Retenues à la source à payer — Québec",
     "Source deductions payable — Québec"),
    ("2300", "liability", "Salaires nets à payer", "Net pay payable"),
    ("2400", "liability", "Remboursements à payer", "Reimbursements payable"),
    ("3000", "equity", "Capital social des membres", "Member share capital"),
    ("3100", "equity", "Réserve du fonds de garantie", "Guarantee fund reserve"),
    ("4000", "revenue", "Chiffre d'affaires", "Revenue"),
    ("4100", "revenue", "Contributions mutualisées", "Mutualized contribution income"),
    ("4200", "revenue", "Revenus d'espaces partagés", "Space income"),
    ("5000", "expense", "Contribution mutualisée", "Mutualized contribution expense"),
    ("5100", "expense", "Salaires bruts", "Salaries"),
    ("5110", "expense", "Cotisations de l'employeur", "Employer contributions"),
    ("5200", "expense", "Créances irrécouvrables", "Bad debts"),
    ("5300", "expense", "Frais d'espaces partagés", "Space expense"),
    ("5900", "expense", "Écarts d'arrondi", "Rounding differences"),
)


def load(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Counter = apps.get_model("ledger", "Counter")
    for code, kind, name_fr, name_en in CHART:
        Account.objects.update_or_create(
            code=code, defaults={"type": kind, "name_fr": name_fr, "name_en": name_en}
        )
    Counter.objects.get_or_create(name="journal_entry", defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
