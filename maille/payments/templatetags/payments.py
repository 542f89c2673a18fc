"""``{% invoice_payments invoice %}``: the payments of an invoice, on its page and in the portal.

Invoicing's templates load this tag by name; the invoicing code never imports
payments (ARCHITECTURE §4: payments sits above invoicing).
"""

from __future__ import annotations

from typing import Any

from django import template

from maille.payments import selectors

register = template.Library()


@register.inclusion_tag("payments/_invoice_payments.html", takes_context=True)
def invoice_payments(context: dict[str, Any], invoice: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "invoice": invoice,
        "allocations": list(selectors.invoice_allocations(invoice=invoice)),
        "user": user,
        "can_record": user.is_staff and invoice.status in ("issued", "partially_paid"),
    }


@register.inclusion_tag("payments/_member_payments.html", takes_context=True)
def member_payments(context: dict[str, Any]) -> dict[str, Any]:
    """What clients paid lately on the member's invoices (their home page)."""
    user = context["request"].user
    rows = list(selectors.member_recent_payments(user=user)[:10]) if user.is_member else []
    return {"rows": rows}


@register.inclusion_tag("payments/_client_payments.html", takes_context=True)
def client_payments(context: dict[str, Any], client: Any) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_staff:
        return {"show": False}
    return {
        "show": True,
        "client": client,
        "payments": list(selectors.payment_list(user=user).filter(client=client)[:50]),
        "credit": selectors.client_credit(client=client),
    }


@register.inclusion_tag("payments/_portal_payments.html", takes_context=True)
def portal_payments(context: dict[str, Any]) -> dict[str, Any]:
    """A client contact's payments and what each settled (their portal)."""
    user = context["request"].user
    rows = list(selectors.portal_allocations(user=user)[:100]) if user.is_client_contact else []
    return {"rows": rows}
