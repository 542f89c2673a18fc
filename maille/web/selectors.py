"""Reads for the home pages: a member's money at a glance, staff's to-do list.

Each figure comes from the selector that owns it: quotes from contracts,
invoices from invoicing, balances from the ledger (never a status flag).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from maille.contracts.models import QuoteStatus
from maille.contracts.selectors import quote_list, quotes_subtotal
from maille.core.models import User
from maille.coworking import selectors as coworking
from maille.guarantee.selectors import OffCycleDue, off_cycle_pays_due
from maille.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from maille.invoicing.selectors import InvoiceFilters, invoice_list, invoice_totals
from maille.ledger.selectors import ActivityMoney, activity_money, periods_to_close
from maille.members.models import Activity, ActivityStatus
from maille.members.selectors import activity_list
from maille.payroll.bankfile import nets_owed
from maille.payroll.selectors import PayToRun, latest_posted_run_id, pays_to_run


@dataclass(frozen=True)
class ActivityFigures:
    activity: Activity
    quoted: Decimal  # sent quotes awaiting an answer, before tax
    accepted: Decimal  # accepted quotes, before tax
    invoiced_with_tax: Decimal  # issued invoices less credit notes, taxes included
    collected: Decimal  # what clients paid: invoiced less what the ledger says they owe
    money: ActivityMoney  # the ledger in plain words

    @property
    def invoiced(self) -> Decimal:
        return self.money.amount("invoiced")

    @property
    def chart(self) -> list[tuple[str, str, Decimal, str]]:
        """(key, label, amount, width in % of the largest) for the SVG bars."""
        from django.utils.translation import gettext as _
        from django.utils.translation import pgettext

        bars = [
            ("quoted", _("Quoted"), self.quoted),
            ("accepted", pgettext("amount", "Accepted"), self.accepted),
            ("invoiced", _("Invoiced"), self.invoiced),
            ("collected", _("Collected"), self.collected),
        ]
        top = max((amount for _k, _l, amount in bars), default=Decimal(0)) or Decimal(1)
        return [
            (key, label, amount, f"{max(Decimal(0), amount) * 100 / top:.1f}")
            for key, label, amount in bars
        ]


def member_money(*, user: User, limit: int = 20) -> list[ActivityFigures]:
    """Per open activity of the member: quoted, accepted, invoiced, collected, balance."""
    figures = []
    for activity in activity_list(user=user, status=ActivityStatus.OPEN)[:limit]:
        quotes = quote_list(user=user, activity_id=activity.pk)
        issued = (
            invoice_list(user=user, filters=InvoiceFilters(activity_id=activity.pk))
            .filter(activity=activity)
            .exclude(status=InvoiceStatus.DRAFT)
        )
        invoiced_with_tax = invoice_totals(issued).total
        money = activity_money(activity=activity)
        figures.append(
            ActivityFigures(
                activity=activity,
                quoted=quotes_subtotal(quotes.filter(status=QuoteStatus.SENT)),
                accepted=quotes_subtotal(
                    quotes.filter(status__in=[QuoteStatus.ACCEPTED, QuoteStatus.CANCELLED])
                ),
                invoiced_with_tax=invoiced_with_tax,
                collected=invoiced_with_tax - money.owed_by_clients,
                money=money,
            )
        )
    return figures


def overdue_invoices(*, user: User, limit: int = 20) -> list[Invoice]:
    """The person's overdue invoices, the longest overdue first (with their age)."""
    qs = invoice_list(user=user, filters=InvoiceFilters(overdue=True)).order_by("due_date", "id")
    return list(qs[:limit])


@dataclass(frozen=True)
class StaffTodo:
    quotes_to_validate: int
    drafts_to_issue: int
    abroad_to_decide: list[Invoice]
    periods_to_close: list[dt.date]
    overdue: int
    loans_overdue: int = 0
    guests_to_invoice: int = 0
    pays_to_run: list[PayToRun] = field(default_factory=list)
    off_cycle_due: list[OffCycleDue] = field(default_factory=list)
    #: Net pays left out of a bank file or returned, not paid since.
    nets_owed: int = 0
    #: The latest posted run, whose page lists them (with a cheque form each).
    nets_owed_run: int | None = None

    @property
    def nothing(self) -> bool:
        return not (
            self.quotes_to_validate
            or self.drafts_to_issue
            or self.abroad_to_decide
            or self.periods_to_close
            or self.overdue
            or self.loans_overdue
            or self.guests_to_invoice
            or self.pays_to_run
            or self.off_cycle_due
            or self.nets_owed
        )


def staff_todo(*, user: User, today: dt.date) -> StaffTodo:
    drafts = invoice_list(user=user, filters=InvoiceFilters(status=InvoiceStatus.DRAFT))
    abroad = drafts.filter(
        ~Q(client__country="CA"), client__isnull=False, kind=InvoiceKind.INVOICE, abroad_decision=""
    )
    return StaffTodo(
        quotes_to_validate=quote_list(user=user, status=QuoteStatus.SUBMITTED).count(),
        drafts_to_issue=drafts.count(),
        abroad_to_decide=list(abroad.order_by("id")[:20]),
        periods_to_close=periods_to_close(today=today),
        overdue=invoice_list(user=user, filters=InvoiceFilters(overdue=True)).count(),
        loans_overdue=coworking.overdue_loan_count(),
        guests_to_invoice=coworking.guests_to_invoice().count(),
        pays_to_run=pays_to_run(),
        off_cycle_due=off_cycle_pays_due(today=today),
        nets_owed=nets_owed().count(),
        nets_owed_run=latest_posted_run_id(),
    )
