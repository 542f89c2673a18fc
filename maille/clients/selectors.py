"""Reads for clients.

Clients are shared across the co-op: members and staff see the directory. A
client contact sees only their own client. Staff notes are only for staff
(templates and API schemas leave them out for others).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from maille.clients.models import Client
from maille.core.models import User


def client_list(*, user: User, search: str = "", province: str = "") -> QuerySet[Client]:
    qs = Client.objects.all()
    if user.is_client_contact:
        qs = qs.filter(contacts__user=user)
    elif not (user.is_staff or user.is_member):
        qs = qs.none()
    if search:
        qs = qs.filter(
            Q(legal_name__icontains=search)
            | Q(gst_number__startswith=search.replace(" ", "").upper())
            | Q(neq=search)
        )
    if province:
        qs = qs.filter(province=province)
    return qs


def client_get(*, user: User, pk: int) -> Client:
    return get_object_or_404(client_list(user=user), pk=pk)


def client_worked_with(*, user: User, client: Client) -> bool:
    """Whether ``user`` may correct this client and its contacts: staff always;
    a member who created it, or quoted or invoiced it from one of their
    activities (the reverse relations of quotes and invoices, not their apps)."""
    if user.is_staff:
        return True
    if not user.is_member:
        return False
    return (
        Client.objects.filter(pk=client.pk)
        .filter(
            Q(created_by=user)
            | Q(quotes__activity__owners__user=user)
            | Q(invoices__activity__owners__user=user)
        )
        .exists()
    )
