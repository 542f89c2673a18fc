"""Guests (not members) book from the public page; the co-op invoices them
through invoicing (``COOP``'s ``Space income``), and credits a cancellation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import Province, User
from maille.coworking import terms
from maille.coworking.exceptions import BookingConflict, CoworkingError, SlotTaken
from maille.coworking.models import Booking, BookingStatus, Resource
from maille.coworking.services.loans import item_out, loan_problem
from maille.coworking.services.slots import (
    Slot,
    insert_bookings,
    lost_race_is_taken,
    overlapping,
    rule_for,
    slot_problems,
    taken_message,
)
from maille.documents.links import new_nonce
from maille.documents.sending import send_after_commit
from maille.ledger import accounts
from maille.members.selectors import coop_activities


def _check_guest_limit(email: str, now: dt.datetime) -> None:
    """A guest holds at most ``MAILLE_COWORKING_GUEST_MAX_BOOKINGS`` bookings to come
    (the public page needs no login: without a limit one address could hold every room).

    Two simultaneous requests of one guest may both pass the count: a soft limit,
    with the per-address rate limit of the page in front of it."""
    limit = settings.MAILLE_COWORKING_GUEST_MAX_BOOKINGS
    held = Booking.objects.filter(
        activity__isnull=True,
        guest_email__iexact=email,
        status=BookingStatus.ACTIVE,
        end__gt=now,
    ).count()
    if held >= limit:
        raise CoworkingError(
            _(
                "You already hold %(n)s bookings to come, as many as a guest may. "
                "For more, write to %(email)s."
            )
            % {"n": held, "email": settings.MAILLE_COOP_EMAIL}
        )


@lost_race_is_taken
@transaction.atomic
def guest_booking_create(
    *,
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    name: str,
    email: str,
    company: str = "",
    province: str = "QC",
    postal_code: str = "",
    language: str = "fr",
    now: dt.datetime | None = None,
) -> Booking:
    """A guest (not a member) books from the public page; the co-op invoices it."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give your name.")]
    if not email.strip() or "@" not in email:
        errors["email"] = [_("Give an email address: the confirmation and invoice go there.")]
    if province not in Province.values:
        # Only the guest's address: renting space is taxed where the space is
        # (the site's province, ``guest_booking_invoice``), not where the guest lives.
        errors["province"] = [_("Choose the province of your address.")]
    if errors:
        raise ValidationError(errors)
    if not resource.is_active:
        raise CoworkingError(_("%(resource)s cannot be booked.") % {"resource": resource.name})
    now = now or timezone.now()
    _check_guest_limit(email.strip(), now)
    slot = Slot(start, end)
    day = terms.local(start).date() if start.tzinfo else start.date()
    rule = rule_for(resource, day)
    problems = slot_problems(resource, slot, rule=rule, now=now)
    price_row = terms.price_in_force(resource, day)
    if not problems and price_row is None:
        problems.append(_("%(resource)s has no price yet.") % {"resource": resource.name})
    if problems:
        raise CoworkingError(" ".join(problems))
    # The guard: one writer at a time on SQLite; the exclusion constraint on PostgreSQL.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    blocked = end + dt.timedelta(minutes=rule.buffer_minutes)
    if overlapping(resource, start, blocked):
        raise SlotTaken(taken_message(resource, slot))
    if lent := loan_problem(item_out(resource), start, now):
        raise SlotTaken(lent)
    booking = Booking(
        resource=resource,
        guest_name=name.strip()[:200],
        guest_email=email.strip()[:254],
        guest_company=company.strip()[:200],
        guest_province=province,
        guest_postal_code=postal_code.strip()[:10],
        guest_language=language if language in ("fr", "en") else "fr",
        start=start,
        end=end,
        blocked_until=blocked,
        price=terms.price_of(price_row, terms.hours_between(start, end), guest=True),  # type: ignore[arg-type]
        link_nonce=new_nonce(),
    )
    insert_bookings([booking])
    send_after_commit(booking)
    return booking


def _guest_line(booking: Booking) -> str:
    start = terms.local(booking.start)
    return _("%(resource)s, %(day)s from %(start)s to %(end)s") % {
        "resource": booking.resource.name,
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": terms.local(booking.end).strftime("%H:%M"),
    }


@transaction.atomic
def guest_booking_invoice(*, booking: Booking, acting_user: User) -> Booking:
    """Staff: invoice a guest's booking from the co-op (``COOP``), credited to
    ``Space income [COOP]`` (the invoice names that revenue account), with the
    sales taxes of the site's province (GST and QST for a Québec site): renting
    space is supplied where the property is, not at the guest's address
    (reference quebec-operations.md §11).

    Creates the guest as a client (with a contact for the invoice's email),
    drafts the invoice and issues it; running it again changes nothing. A
    booking cancelled late is invoiced for what the rule keeps.
    """
    from maille.clients.models import ClientContact, ClientKind
    from maille.clients.services import client_create
    from maille.invoicing import services as invoicing

    if not acting_user.is_staff:
        raise PermissionError
    booking = (
        Booking.objects.select_for_update().select_related("resource__site").get(pk=booking.pk)
    )
    if not booking.is_guest:
        raise BookingConflict(_("Only a guest's booking is invoiced."))
    if booking.invoice_id is not None:
        return booking
    due = booking.price - booking.refund
    if due <= 0:
        raise BookingConflict(_("This booking was cancelled: nothing is owed."))
    client = client_create(
        acting_user=acting_user,
        allow_duplicate=True,
        legal_name=booking.guest_company or booking.guest_name,
        kind=ClientKind.BUSINESS if booking.guest_company else ClientKind.INDIVIDUAL,
        province=booking.guest_province or "QC",
        postal_code=booking.guest_postal_code,
        country="CA",
        language=booking.guest_language,
    )
    ClientContact.objects.create(client=client, name=booking.guest_name, email=booking.guest_email)
    description = _guest_line(booking)
    if not booking.is_active:
        description = _("%(line)s: late cancellation") % {"line": description}
    draft = invoicing.invoice_create(
        activity=coop_activities()["COOP"],
        client=client,
        acting_user=acting_user,
        lines=[{"description": description, "quantity": Decimal(1), "unit_price": due}],
        title=_("Space rental"),
        revenue_account=accounts.SPACE_INCOME,
        # Supplied where the space is, whatever the guest's address (an Ontario
        # guest renting a Montréal room pays GST and QST, not Ontario's HST).
        supply_province=booking.resource.site.province,
    )
    booking.invoice = invoicing.invoice_issue(invoice=draft, acting_user=acting_user)
    booking.save(update_fields=["invoice"])
    invoicing.invoice_send(invoice=booking.invoice, acting_user=acting_user)
    return booking


def credit_guest_invoice(booking: Booking, refund: Decimal, acting_user: User) -> None:
    """A cancelled guest booking already invoiced: a credit note for the refund
    (before tax; its taxes follow pro rata), issued and sent through invoicing."""
    from maille.invoicing import services as invoicing

    invoice = booking.invoice
    if invoice is None or refund <= 0:
        return
    line = invoice.lines.order_by("pk").first()
    if line is None:
        return
    note = invoicing.credit_note_create(
        invoice=invoice,
        acting_user=acting_user,
        reason=(_("Booking cancelled: %(line)s") % {"line": _guest_line(booking)})[:300],
        amounts={line.pk: refund},
    )
    note = invoicing.invoice_issue(invoice=note, acting_user=acting_user)
    if invoice.client is not None and invoice.client.contacts.exists():
        invoicing.invoice_send(invoice=note, acting_user=acting_user)
