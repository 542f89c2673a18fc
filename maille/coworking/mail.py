"""Booking confirmations and calendar feeds through the shared document mechanism.

``BOOKING``: the confirmation email (after commit, in the recipient's
language) with the booking as an ``.ics`` attachment and a signed link to it.
``FEED``: a member's or a resource's iCal feed, a signed URL that never
expires (``link_days`` is ``None``) and is revoked by drawing a new nonce.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from maille.core.money import format_money_active
from maille.coworking import terms
from maille.coworking.ical import booking_ics
from maille.coworking.models import Booking, BookingStatus, Feed, Loan
from maille.documents.kinds import DocumentKind, Email
from maille.members.models import Member


def _member_language(member: Member) -> str:
    """The member's own language (their profile's), French when unset, as the other
    apps' mails pick it (``payroll.mail``, ``payments.mail``)."""
    return member.user.language or "fr"


def _recipients(booking: Booking) -> Iterable[tuple[str, str]]:
    if booking.member is not None:
        return [(booking.member.user.email, _member_language(booking.member))]
    return [(booking.guest_email, booking.guest_language or "fr")]


def _message(booking: Booking, link: str) -> Email:
    start = terms.local(booking.start)
    count = booking.series.bookings.count() if booking.series is not None else 1
    when = _("%(day)s from %(start)s to %(end)s") % {
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": terms.local(booking.end).strftime("%H:%M"),
    }
    lines = [
        _("Hello %(name)s,") % {"name": booking.who},
        "",
        _("Your booking of %(resource)s (%(site)s) is confirmed: %(when)s.")
        % {"resource": booking.resource.name, "site": booking.resource.site.name, "when": when},
    ]
    if count > 1:
        lines.append(
            _("It is the first of %(n)s weekly bookings; all are in the attachment.") % {"n": count}
        )
    if booking.is_guest:
        lines.append(
            _(
                "Price before taxes: %(price)s. The co-op will send you the invoice "
                "(GST and QST added)."
            )
            % {"price": format_money_active(booking.price)}
        )
    lines += [
        "",
        _("Add it to your calendar with the attachment, or open: %(link)s") % {"link": link},
    ]
    return Email(
        subject=_("Booking confirmed: %(resource)s") % {"resource": booking.resource.name},
        body="\n".join(lines),
    )


BOOKING = DocumentKind(
    name="coworking_booking",
    model=Booking,
    salt="maille.coworking.booking",
    id_key="b",
    link_days=lambda: 365,
    linkable=lambda: Booking.objects.select_related("resource__site", "member__user"),
    path="/coworking/b/",
    recipients=_recipients,
    message=_message,
    pdf=booking_ics,
    filename=lambda booking: f"reservation-{booking.pk}.ics",
    can_send=lambda booking: booking.status == BookingStatus.ACTIVE,
    attachment_type="text/calendar",
)


def _feed_recipients(feed: Feed) -> Iterable[tuple[str, str]]:
    if feed.member is None:
        return []
    return [(feed.member.user.email, _member_language(feed.member))]


def _feed_message(feed: Feed, link: str) -> Email:
    return Email(
        subject=_("Your bookings calendar"),
        body=_("Subscribe to this address in your calendar: %(link)s") % {"link": link},
    )


def _no_attachment(_feed: Any) -> bytes:
    return b""


FEED = DocumentKind(
    name="coworking_feed",
    model=Feed,
    salt="maille.coworking.feed",
    id_key="f",
    link_days=lambda: None,  # a feed never expires; revoking it stops it
    linkable=lambda: Feed.objects.select_related("member__user", "resource__site"),
    path="/coworking/ical/",
    recipients=_feed_recipients,
    message=_feed_message,
    pdf=_no_attachment,
    mark_sent_by_email=False,
    attach_pdf=False,  # the address is the message: nothing to attach
)


def send_overdue_reminder(loan: Loan) -> None:
    """Remind the member that an item is overdue (the daily job calls this)."""
    user = loan.member.user
    with translation.override(_member_language(loan.member)):
        subject = _("Please return %(item)s") % {"item": loan.resource.name}
        body = _(
            "Hello %(name)s,\n\n%(item)s was due back on %(due)s. Please bring it back to "
            "%(site)s, or tell the co-op when you can."
        ) % {
            "name": loan.member.full_name,
            "item": loan.resource.name,
            "due": terms.local(loan.due_at).strftime("%Y-%m-%d %H:%M"),
            "site": loan.resource.site.name,
        }
    EmailMessage(subject, body, to=[user.email], reply_to=[settings.MAILLE_COOP_EMAIL]).send()
