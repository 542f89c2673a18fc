"""Amounts reserved on an activity's budget by requests not yet paid.

A salary request (and later an expense claim or a booking) reserves what it
will cost when it is accepted, so two requests cannot both spend the same
money; the reservation is released in the same transaction as the cost is
posted to the ledger (or when the request is refused or cancelled). The
reservation is not money: it never enters the ledger.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from maille.members.models import Activity


class BudgetReservation(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="budget_reservations"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    #: Who holds it, e.g. ``payroll:request:12``: one live reservation per key.
    key = models.CharField(_("key"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget reservation")
        verbose_name_plural = _("budget reservations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_reservation_amount_gte_0"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(released_at__isnull=True),
                name="budget_reservation_one_live_per_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["activity"],
                condition=models.Q(released_at__isnull=True),
                name="budget_reservation_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.amount}"
