"""Bank lines take the issue's fingerprint: account, date, amount, bank reference,
normalised description (it was account, date, amount); occurrences renumbered.

A frozen copy of ``importing.fingerprint`` and ``parsers.normalise``: later
changes to those never change this migration."""

import hashlib
import re
import unicodedata
from collections import defaultdict

from django.db import migrations


def _normalise(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return " ".join(sorted(set(re.findall(r"[A-Z0-9]+", plain))))


def refingerprint(apps, schema_editor):
    BankLine = apps.get_model("payments", "BankLine")
    count = defaultdict(int)
    changed = []
    for line in BankLine.objects.order_by("pk").iterator(chunk_size=5000):
        key = "|".join(
            (
                str(line.bank_account_id),
                line.date.isoformat(),
                f"{line.amount:.2f}",
                line.reference.strip(),
                _normalise(line.description),
            )
        )
        line.fingerprint = hashlib.sha256(key.encode()).hexdigest()
        count[(line.bank_account_id, line.fingerprint)] += 1
        line.occurrence = count[(line.bank_account_id, line.fingerprint)]
        changed.append(line)
    # A new fingerprint never equals an old one (another text is hashed), and
    # the new (fingerprint, occurrence) pairs are distinct: the unique rule
    # holds at every step.
    for line in changed:
        BankLine.objects.filter(pk=line.pk).update(
            fingerprint=line.fingerprint, occurrence=line.occurrence
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_refund_transfer")]

    operations = [migrations.RunPython(refingerprint, migrations.RunPython.noop)]
