"""The "your client paid" email: to each owner of the invoice's activity, in their language."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from maille.core.money import ZERO, format_money
from maille.invoicing.settlement import credited_totals, open_amount
from maille.payments.models import Allocation


def payment_notify_send(*, allocation_ids: list[int]) -> int:
    allocations = list(
        Allocation.objects.filter(pk__in=allocation_ids, payment__reversed_on__isnull=True)
        .select_related("invoice__activity", "invoice__client", "payment")
        .prefetch_related("invoice__activity__owners__user")
        .order_by("pk")
    )
    credited = credited_totals(a.invoice_id for a in allocations)
    by_user: dict[int, list[Allocation]] = defaultdict(list)
    users = {}
    for allocation in allocations:
        for member in allocation.invoice.activity.owners.all():
            users[member.user.pk] = member.user
            by_user[member.user.pk].append(allocation)
    sent = 0
    for pk, rows in by_user.items():
        user = users[pk]
        language = user.language or "fr"
        with translation.override(language):
            lines = [
                _(
                    "%(client)s paid %(amount)s on invoice %(number)s (%(activity)s); "
                    "%(due)s is still owed."
                )
                % {
                    "client": a.invoice.buyer_name or a.invoice.client,
                    "amount": format_money(a.amount, language),
                    "number": a.invoice.number,
                    "activity": a.invoice.activity.name,
                    "due": format_money(
                        open_amount(a.invoice, credited=credited.get(a.invoice_id, ZERO)),
                        language,
                    ),
                }
                for a in rows
            ]
            subject = _("Your client paid: %(number)s") % {"number": rows[0].invoice.number}
            body = "\n\n".join(
                [
                    _("Hello %(name)s,") % {"name": user.first_name or user.email},
                    *lines,
                    _("Kind regards,") + "\n" + settings.MAILLE_COOP_NAME,
                ]
            )
        EmailMessage(subject, body, to=[user.email], reply_to=[settings.MAILLE_COOP_EMAIL]).send()
        sent += 1
    return sent


@task()
def payment_notify_members(*, allocation_ids: list[int]) -> int:
    """Email the owners of each invoice paid; returns how many emails were sent."""
    return payment_notify_send(allocation_ids=allocation_ids)
