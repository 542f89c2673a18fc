"""Writes of coworking: bookings (one, a weekly series, a guest's), cancellations,
passes, calendar feeds, equipment loans. Pages, the API, the CLI and tasks call these.

Split along their seams and gathered here, so a caller writes
``services.booking_create(...)`` whichever module holds it: ``slots`` (what
every booking shares: the rules, the overlap check, the insert), ``bookings``
(members', charged to an activity), ``guests`` (the public page, invoiced),
``passes``, ``loans``, ``places`` (sites, resources and calendar feeds).
Reads are in ``coworking.selectors``, refusals in ``coworking.exceptions``.
"""

from maille.coworking.services.bookings import (
    MAX_SERIES,
    booking_cancel,
    booking_create,
    booking_series_create,
    refund_due,
    weekly_slots,
)
from maille.coworking.services.guests import guest_booking_create, guest_booking_invoice
from maille.coworking.services.loans import (
    loan_check_in,
    loan_check_out,
    loans_remind_overdue,
    overdue_loans,
)
from maille.coworking.services.passes import pass_buy, pass_hours_left
from maille.coworking.services.places import feed_of, feed_revoke, resource_save, site_save
from maille.coworking.services.slots import Slot, overlapping, slot_problems

__all__ = [
    "MAX_SERIES",
    "Slot",
    "booking_cancel",
    "booking_create",
    "booking_series_create",
    "feed_of",
    "feed_revoke",
    "guest_booking_create",
    "guest_booking_invoice",
    "loan_check_in",
    "loan_check_out",
    "loans_remind_overdue",
    "overdue_loans",
    "overlapping",
    "pass_buy",
    "pass_hours_left",
    "refund_due",
    "resource_save",
    "site_save",
    "slot_problems",
    "weekly_slots",
]
