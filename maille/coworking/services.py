"""Writes of coworking: bookings (one, a weekly series, a guest's), cancellations,
passes, calendar feeds, equipment loans. Pages, the API, the CLI and tasks call these.

Postings (ARCHITECTURE §3): a member's booking is internal to the co-op, with
no sales tax — ``Space expense [A]`` against ``Space income [COOP]`` — and is
refused when the activity's available budget (``budgets.selectors``) does not
cover it; the activity's row is locked first so two bookings on one activity
are checked one after the other. A guest's booking is invoiced by the co-op
(``invoicing``: GST and QST on the guest price), by staff from the day's view.

No double booking: the slot is checked inside the write transaction (on
SQLite, whose write transactions run one at a time, that check is the guard);
on PostgreSQL the exclusion constraint of migration ``0002`` refuses a
booking that a simultaneous transaction committed first, and that refusal is
answered as "the slot was just taken" (409), never as a server error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.selectors import activity_available_budget
from maille.budgets.services import activity_lock
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import ZERO, format_money, round_half_up
from maille.coworking import terms
from maille.coworking.exceptions import BookingConflict, CoworkingError, SlotTaken
from maille.coworking.models import (
    Booking,
    BookingStatus,
    Feed,
    Loan,
    Pass,
    PassKind,
    PassPrice,
    Resource,
    ResourceKind,
    Rule,
    Series,
    Site,
)
from maille.documents.links import new_nonce
from maille.documents.sending import send_after_commit
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many, entry_post
from maille.members.models import Activity, ActivityKind, Member
from maille.members.selectors import coop_activities, member_of

EXCLUSION_VIOLATION = "23P01"
MAX_SERIES = 52


@dataclass(frozen=True, slots=True)
class Slot:
    start: dt.datetime
    end: dt.datetime


def _taken_message(resource: Resource, slot: Slot) -> str:
    start = terms.local(slot.start)
    return _("%(resource)s is already booked on %(day)s around %(time)s: choose another time.") % {
        "resource": resource.name,
        "day": start.date().isoformat(),
        "time": start.strftime("%H:%M"),
    }


def _just_taken(resource: Resource) -> SlotTaken:
    return SlotTaken(
        _("%(resource)s was just booked by someone else for this time: choose another time.")
        % {"resource": resource.name}
    )


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == EXCLUSION_VIOLATION


def overlapping(resource: Resource, start: dt.datetime, blocked_until: dt.datetime) -> bool:
    """An active booking of ``resource`` blocks part of ``[start, blocked_until)``.

    Both sides count their buffer: a booking blocks ``[its start, its end + buffer)``.
    """
    return Booking.objects.filter(
        resource=resource,
        status=BookingStatus.ACTIVE,
        start__lt=blocked_until,
        blocked_until__gt=start,
    ).exists()


def _rule(resource: Resource, day: dt.date, found: terms.Terms | None = None) -> Rule:
    rule = found.rule(day) if found is not None else terms.rule_in_force(resource, day)
    return rule if rule is not None else Rule(resource=resource, valid_from=day)


def slot_problems(
    resource: Resource,
    slot: Slot,
    *,
    rule: Rule,
    now: dt.datetime,
    holidays: terms.Holidays | None = None,
) -> list[str]:
    """Every reason the rules refuse this slot (before looking at other bookings)."""
    start, end = slot.start, slot.end
    if start.tzinfo is None or end.tzinfo is None:
        return [
            _(
                "Give the times with their offset from UTC "
                "(ISO 8601, e.g. 2027-01-12T09:00:00-05:00)."
            )
        ]
    if end <= start:
        return [_("The end must be after the start.")]
    problems: list[str] = []
    if start < now:
        problems.append(_("This time is in the past."))
    minutes = (end - start).total_seconds() / 60
    if minutes < rule.min_minutes:
        problems.append(
            _("A booking of %(resource)s lasts at least %(n)s minutes.")
            % {"resource": resource.name, "n": rule.min_minutes}
        )
    if minutes > rule.max_minutes:
        problems.append(
            _("A booking of %(resource)s lasts at most %(n)s minutes.")
            % {"resource": resource.name, "n": rule.max_minutes}
        )
    if terms.local(start).date() > terms.local(now).date() + dt.timedelta(days=rule.max_days_ahead):
        problems.append(
            _("%(resource)s can be booked at most %(n)s days ahead.")
            % {"resource": resource.name, "n": rule.max_days_ahead}
        )
    problems += terms.opening_problems(resource.site, start, end, holidays)
    return problems


def _check_booker(activity: Activity, acting_user: User) -> Member:
    """The member the booking is for: an owner of the activity (staff may book for any)."""
    owners = list(activity.owners.select_related("user"))
    mine = next((m for m in owners if m.user_id == acting_user.pk), None)
    if mine is None and not acting_user.is_staff:
        raise PermissionError
    if activity.kind != ActivityKind.MEMBER or not owners:
        raise ValidationError({"activity_id": [_("Book for an activity of a member.")]})
    if not activity.is_open:
        raise ValidationError({"activity_id": [_("This activity is closed.")]})
    return mine or owners[0]


def _passes_of(member: Member, resource: Resource, slots: list[Slot]) -> list[Pass]:
    """The member's passes on the resource's site valid on some day of the slots (one query)."""
    days = [terms.local(slot.start).date() for slot in slots]
    return list(
        Pass.objects.filter(
            member=member,
            site_id=resource.site_id,
            valid_from__lte=max(days),
            valid_until__gte=min(days),
        ).order_by("kind", "valid_until", "id")
    )


def _pass_for(
    passes: list[Pass], resource: Resource, slot: Slot, hours: Decimal, drawn: dict[int, Decimal]
) -> Pass | None:
    """A pass that covers this booking, if any (a desk month first). ``drawn`` holds
    the hours of each pack already read (less what earlier slots of this series take)."""
    day = terms.local(slot.start).date()
    for candidate in passes:
        if not candidate.valid_from <= day <= candidate.valid_until:
            continue
        if candidate.kind == PassKind.MONTHLY_DESK:
            if resource.kind == ResourceKind.DESK:
                return candidate
            continue
        if candidate.pk not in drawn:
            drawn[candidate.pk] = pass_hours_left(candidate)
        if drawn[candidate.pk] >= hours:
            drawn[candidate.pk] -= hours
            return candidate
    return None


def pass_hours_left(candidate: Pass) -> Decimal:
    if candidate.kind != PassKind.HOURS or candidate.hours is None:
        return ZERO
    drawn = candidate.bookings.filter(status=BookingStatus.ACTIVE).aggregate(
        total=Sum("hours_drawn")
    )["total"]
    return candidate.hours - Decimal(drawn or 0)


def _charge_entry(booking: Booking, amount: Decimal, coop: Activity) -> EntrySpec:
    """``Space expense [A]`` / ``Space income [COOP]``: internal, no sales tax."""
    if booking.activity is None:
        raise RuntimeError("only a member's booking is charged to an activity")
    return EntrySpec(
        date=timezone.localdate(),
        description=(
            _("Booking of %(resource)s, %(day)s")
            % {
                "resource": booking.resource.name,
                "day": terms.local(booking.start).strftime("%Y-%m-%d %H:%M"),
            }
        )[:300],
        lines=[
            LineSpec(accounts.SPACE_EXPENSE, booking.activity, amount),
            LineSpec(accounts.SPACE_INCOME, coop, -amount),
        ],
        idempotency_key=f"coworking:booking:{booking.pk}:charge",
        source=booking,
    )


def _insert(bookings: list[Booking]) -> list[Booking]:
    """Insert the bookings in one statement; a simultaneous booking that won the
    slot (the exclusion constraint) is a ``SlotTaken``. No savepoint: the caller's
    transaction rolls back whole on any error."""
    try:
        return Booking.objects.bulk_create(bookings)
    except IntegrityError as exc:
        if _is_exclusion_violation(exc):
            raise _just_taken(bookings[0].resource) from exc
        raise


@transaction.atomic
def booking_series_create(
    *,
    resource: Resource,
    activity: Activity,
    slots: list[Slot],
    acting_user: User,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> list[Booking]:
    """Book every slot for the activity, or none: each is checked, and all the
    problems are told at once (a taken Tuesday, a holiday…)."""
    if not slots:
        raise CoworkingError(_("Choose at least one time."))
    if len(slots) > MAX_SERIES:
        raise CoworkingError(_("A series has at most %(n)s bookings.") % {"n": MAX_SERIES})
    now = now or timezone.now()
    member = _check_booker(activity, acting_user)
    if not resource.is_active:
        raise CoworkingError(_("%(resource)s cannot be booked.") % {"resource": resource.name})
    activity = activity_lock(activity)  # budget checks of this activity queue here
    problems: list[str] = []
    taken = 0
    planned: list[tuple[Slot, Rule, Decimal, Decimal]] = []
    several = len(slots) > 1
    found_terms = terms.terms_of(resource)  # every price and rule, once
    holidays: terms.Holidays = {}
    for slot in slots:
        prefix = f"{terms.local(slot.start):%Y-%m-%d}: " if several and slot.start.tzinfo else ""
        day = terms.local(slot.start).date() if slot.start.tzinfo else slot.start.date()
        rule = _rule(resource, day, found_terms)
        found = slot_problems(resource, slot, rule=rule, now=now, holidays=holidays)
        price_row = found_terms.price(day)
        if not found and price_row is None:
            found.append(_("%(resource)s has no price yet.") % {"resource": resource.name})
        if not found:
            blocked = slot.end + dt.timedelta(minutes=rule.buffer_minutes)
            if overlapping(resource, slot.start, blocked) or any(
                p.start < blocked and p.end + dt.timedelta(minutes=r.buffer_minutes) > slot.start
                for p, r, _price, _h in planned
            ):
                found.append(_taken_message(resource, slot))
                taken += 1
        if found or price_row is None:
            problems += [prefix + p for p in found]
            continue
        hours = terms.hours_between(slot.start, slot.end)
        planned.append((slot, rule, terms.price_of(price_row, hours, guest=False), hours))
    if problems:
        # Only taken slots: a conflict (409); any broken rule: bad input (422).
        raise (SlotTaken if taken == len(problems) else CoworkingError)(" ".join(problems))
    series = Series.objects.create(description=resource.name[:200]) if several else None
    bookings: list[Booking] = []
    charges: list[Decimal] = []
    passes = _passes_of(member, resource, [slot for slot, *_rest in planned])
    drawn: dict[int, Decimal] = {}  # hours left of each pack, less this series' slots
    for slot, rule, price, hours in planned:
        used = _pass_for(passes, resource, slot, hours, drawn)
        charge = ZERO if used is not None else price
        charges.append(charge)
        bookings.append(
            Booking(
                resource=resource,
                activity=activity,
                member=member,
                booked_by=acting_user,
                start=slot.start,
                end=slot.end,
                blocked_until=slot.end + dt.timedelta(minutes=rule.buffer_minutes),
                price=charge,
                used_pass=used,
                hours_drawn=hours if used is not None and used.kind == PassKind.HOURS else ZERO,
                series=series,
                link_nonce=new_nonce(),
            )
        )
    total = sum(charges, ZERO)
    if total > 0:
        available = activity_available_budget(activity)
        if total > available:
            raise CoworkingError(
                _(
                    "The activity %(activity)s has %(available)s available; this booking "
                    "costs %(price)s."
                )
                % {
                    "activity": activity.code,
                    "available": format_money(available),
                    "price": format_money(total),
                }
            )
    _insert(bookings)
    if total > 0:
        coop = coop_activities()["COOP"]
        # One ledger call for the whole series (no savepoint: this transaction
        # rolls back whole on any error).
        entries_post_many(
            entries=[
                _charge_entry(booking, charge, coop)
                for booking, charge in zip(bookings, charges, strict=True)
                if charge > 0
            ],
            acting_user=acting_user,
            savepoint=False,
        )
    if notify:
        send_after_commit(bookings[0])
    return bookings


def booking_create(
    *,
    resource: Resource,
    activity: Activity,
    start: dt.datetime,
    end: dt.datetime,
    acting_user: User,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Booking:
    """Book one slot for a member's activity (the API's ``POST /coworking/bookings``)."""
    return booking_series_create(
        resource=resource,
        activity=activity,
        slots=[Slot(start, end)],
        acting_user=acting_user,
        now=now,
        notify=notify,
    )[0]


def weekly_slots(*, day: dt.date, start_time: dt.time, end_time: dt.time, weeks: int) -> list[Slot]:
    """The same local hours every week from ``day`` (daylight saving kept in step)."""
    if not 1 <= weeks <= MAX_SERIES:
        raise ValidationError({"weeks": [_("Between 1 and %(n)s weeks.") % {"n": MAX_SERIES}]})
    slots = []
    for week in range(weeks):
        date = day + dt.timedelta(weeks=week)
        slots.append(
            Slot(
                terms.local_instant(date, start_time, field=_("start")),
                terms.local_instant(date, end_time, field=_("end")),
            )
        )
    return slots


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
    if province not in {
        "QC",
        "ON",
        "NB",
        "NS",
        "PE",
        "NL",
        "MB",
        "SK",
        "AB",
        "BC",
        "YT",
        "NT",
        "NU",
    }:
        errors["province"] = [_("Choose your province: it decides the sales taxes.")]
    if errors:
        raise ValidationError(errors)
    if not resource.is_active:
        raise CoworkingError(_("%(resource)s cannot be booked.") % {"resource": resource.name})
    now = now or timezone.now()
    slot = Slot(start, end)
    day = terms.local(start).date() if start.tzinfo else start.date()
    rule = _rule(resource, day)
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
        raise SlotTaken(_taken_message(resource, slot))
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
    _insert([booking])
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
    """Staff: invoice a guest's booking from the co-op (``COOP``), GST and QST on top,
    credited to ``Space income [COOP]`` (the invoice names that revenue account).

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
    )
    booking.invoice = invoicing.invoice_issue(invoice=draft, acting_user=acting_user)
    booking.save(update_fields=["invoice"])
    invoicing.invoice_send(invoice=booking.invoice, acting_user=acting_user)
    return booking


def _credit_guest_invoice(booking: Booking, refund: Decimal, acting_user: User) -> None:
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


def refund_due(booking: Booking, now: dt.datetime, rule: Rule) -> Decimal:
    """The whole price up to the notice; past it, less the late-cancellation charge."""
    notice = dt.timedelta(hours=rule.cancel_notice_hours)
    if booking.start - now >= notice:
        return booking.price
    kept = round_half_up(booking.price * rule.late_cancel_percent / Decimal(100))
    return booking.price - kept


@transaction.atomic
def booking_cancel(
    *, booking: Booking, acting_user: User, now: dt.datetime | None = None
) -> Booking:
    """Cancel a booking: the activity is refunded in the ledger (the whole price
    up to the rule's notice, less the late charge after it); a pack's hours come back.

    A guest's booking (cancelled by staff) follows the same rule: once invoiced,
    a credit note for the refund goes through invoicing; not invoiced yet, only
    what the rule keeps is invoiced later (``guest_booking_invoice``).
    """
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource", "activity", "invoice__client")
        .get(pk=booking.pk)
    )
    mine = booking.member is not None and booking.member.user_id == acting_user.pk
    if not (mine or acting_user.is_staff):
        raise PermissionError
    if not booking.is_active:
        raise BookingConflict(_("This booking is already cancelled."))
    if booking.start <= now:
        raise BookingConflict(_("This booking has started: it can no longer be cancelled."))
    rule = _rule(booking.resource, terms.local(booking.start).date())
    refund = refund_due(booking, now, rule)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.refund = refund
    booking.save(update_fields=["status", "cancelled_at", "refund"])
    if booking.is_guest:
        _credit_guest_invoice(booking, refund, acting_user)
        return booking
    if refund > 0 and booking.activity is not None:
        coop = coop_activities()["COOP"]
        entry_post(
            date=timezone.localdate(),
            description=(
                _("Cancelled booking of %(resource)s, %(day)s: refund")
                % {
                    "resource": booking.resource.name,
                    "day": terms.local(booking.start).strftime("%Y-%m-%d %H:%M"),
                }
            )[:300],
            lines=[
                LineSpec(accounts.SPACE_INCOME, coop, refund),
                LineSpec(accounts.SPACE_EXPENSE, booking.activity, -refund),
            ],
            idempotency_key=f"coworking:booking:{booking.pk}:refund",
            acting_user=acting_user,
            source=booking,
        )
    return booking


# --- Sites and resources (staff) ----------------------------------------------


@transaction.atomic
def site_save(*, site: Site, acting_user: User) -> Site:
    """Staff: add or change a site (its address, opening hours and days)."""
    if not acting_user.is_staff:
        raise PermissionError
    site.full_clean()
    set_actor(site, acting_user)
    site.save()
    return site


@transaction.atomic
def resource_save(*, resource: Resource, acting_user: User) -> Resource:
    """Staff: add or change a desk, a room or an equipment item.

    Its prices and rules are dated rows added beside it (never edited)."""
    if not acting_user.is_staff:
        raise PermissionError
    resource.full_clean()
    set_actor(resource, acting_user)
    resource.save()
    return resource


# --- Passes -------------------------------------------------------------------


@transaction.atomic
def pass_buy(
    *,
    member: Member,
    activity: Activity,
    offer: PassPrice,
    valid_from: dt.date,
    acting_user: User,
) -> Pass:
    """Buy a pass once, charged to the activity (within its available budget)."""
    if member_of(acting_user) != member and not acting_user.is_staff:
        raise PermissionError
    if not activity.owners.filter(pk=member.pk).exists():
        raise ValidationError({"activity": [_("Choose one of the member's activities.")]})
    if offer.valid_from > valid_from:
        raise ValidationError({"valid_from": [_("This offer is not in force yet on that day.")]})
    activity = activity_lock(activity)
    available = activity_available_budget(activity)
    if offer.price > available:
        raise CoworkingError(
            _("The activity %(activity)s has %(available)s available; this pass costs %(price)s.")
            % {
                "activity": activity.code,
                "available": format_money(available),
                "price": format_money(offer.price),
            }
        )
    if offer.kind == PassKind.MONTHLY_DESK:
        until = (valid_from.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        until = until.replace(day=min(valid_from.day, 28)) - dt.timedelta(days=1)
        if until < valid_from:
            until = valid_from + dt.timedelta(days=29)
    else:
        until = valid_from + dt.timedelta(days=365)
    bought = Pass.objects.create(
        member=member,
        activity=activity,
        site=offer.site,
        kind=offer.kind,
        hours=offer.hours,
        valid_from=valid_from,
        valid_until=until,
        price=offer.price,
    )
    if offer.price > 0:
        coop = coop_activities()["COOP"]
        entry_post(
            date=timezone.localdate(),
            description=(
                _("%(pass)s, %(site)s")
                % {"pass": bought.get_kind_display(), "site": offer.site.name}
            )[:300],
            lines=[
                LineSpec(accounts.SPACE_EXPENSE, activity, offer.price),
                LineSpec(accounts.SPACE_INCOME, coop, -offer.price),
            ],
            idempotency_key=f"coworking:pass:{bought.pk}",
            acting_user=acting_user,
            source=bought,
        )
    return bought


# --- Calendar feeds -------------------------------------------------------------


def feed_of(*, member: Member | None = None, resource: Resource | None = None) -> Feed:
    """The member's (or resource's) feed, made on first use."""
    lookup = {"member": member} if member is not None else {"resource": resource}
    feed, _created = Feed.objects.get_or_create(**lookup, defaults={"link_nonce": new_nonce()})
    return feed


@transaction.atomic
def feed_revoke(*, feed: Feed, acting_user: User) -> Feed:
    """Every URL of this feed given so far stops working; a new one is made."""
    mine = feed.member is not None and feed.member.user_id == acting_user.pk
    if not (mine or acting_user.is_staff):
        raise PermissionError
    feed.link_nonce = new_nonce()
    feed.save(update_fields=["link_nonce"])
    return feed


# --- Equipment loans -------------------------------------------------------------


@transaction.atomic
def loan_check_out(
    *,
    resource: Resource,
    member: Member,
    due_at: dt.datetime,
    condition: str,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Loan:
    """Staff hand an equipment item to a member, noting its condition."""
    if not acting_user.is_staff:
        raise PermissionError
    now = now or timezone.now()
    if resource.kind != ResourceKind.EQUIPMENT:
        raise ValidationError({"resource": [_("Only equipment is lent.")]})
    if due_at <= now:
        raise ValidationError({"due_at": [_("The return is due after now.")]})
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    if Loan.objects.filter(resource=resource, checked_in_at__isnull=True).exists():
        raise BookingConflict(
            _("%(resource)s is already out: check it in first.") % {"resource": resource.name}
        )
    loan = Loan.objects.create(
        resource=resource,
        member=member,
        checked_out_at=now,
        due_at=due_at,
        condition_out=condition.strip()[:300],
        checked_out_by=acting_user,
    )
    return loan


@transaction.atomic
def loan_check_in(
    *, loan: Loan, condition: str, acting_user: User, now: dt.datetime | None = None
) -> Loan:
    """Staff take an item back, noting its condition (it becomes the item's condition)."""
    if not acting_user.is_staff:
        raise PermissionError
    loan = Loan.objects.select_for_update().select_related("resource").get(pk=loan.pk)
    if loan.checked_in_at is not None:
        raise BookingConflict(_("This item was already checked in."))
    if not condition.strip():
        raise ValidationError({"condition": [_("Note the item's condition.")]})
    loan.checked_in_at = now or timezone.now()
    loan.condition_in = condition.strip()[:300]
    loan.checked_in_by = acting_user
    loan.save(update_fields=["checked_in_at", "condition_in", "checked_in_by"])
    Resource.objects.filter(pk=loan.resource_id).update(condition=loan.condition_in)
    return loan


def overdue_loans(now: dt.datetime) -> Q:
    return Q(checked_in_at__isnull=True, due_at__lt=now)


def loans_remind_overdue(*, today: dt.date | None = None) -> int:
    """Email each member whose item is overdue, once a day; returns how many."""
    from maille.coworking.mail import send_overdue_reminder

    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    due = Loan.objects.filter(overdue_loans(now)).filter(
        Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)
    )
    for loan in due.select_related("member__user", "resource"):
        # Claim the day first: a second run (or a second worker) skips it.
        claimed = (
            Loan.objects.filter(pk=loan.pk)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
            .update(reminded_on=today)
        )
        if claimed:
            send_overdue_reminder(loan)
            sent += 1
    return sent
