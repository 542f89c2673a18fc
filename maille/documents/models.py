"""The one numbering counter of every document series (quotes, invoices, credit notes…)."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    """The last number given in one series and year: locked to hand out the next.

    Numbers come from this row under ``SELECT … FOR UPDATE`` in the same
    transaction as the document they number, so they are gapless (a rolled
    back transaction gives its number back) and never duplicated. The table
    keeps the name it had when quotes owned it.
    """

    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "contracts_counter"
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="counter_series_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"
