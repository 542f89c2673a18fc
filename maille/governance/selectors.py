"""Reads for governance, scoped to the person asking.

A member sees their own register entry, share statement, meetings and the
ballots open to them; staff and the board (members with a seat,
``members.selectors.is_director``) see the register, applications and the
ristourne computation; anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO
from maille.governance.exceptions import NoBylaws
from maille.governance.models import (
    Application,
    Ballot,
    Bylaws,
    Meeting,
    MeetingStatus,
    Membership,
    MovementKind,
    Participation,
    PaymentMethod,
    RistourneAllocation,
    ShareMovement,
)
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.members.models import Member
from maille.members.selectors import is_director, member_of


def bylaws_on(day: dt.date | None = None) -> Bylaws:
    """The by-law settings in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    found = Bylaws.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if found is None:
        raise NoBylaws([_("No by-law settings are in force on %(d)s.") % {"d": day}])
    return found


def is_board_or_staff(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or is_director(user)))


def require_board_or_staff(user: User) -> None:
    if not is_board_or_staff(user):
        raise Http404


# --- Shares and the register ---------------------------------------------------


@dataclass
class ShareFigures:
    """A member's shares as the register (s. 124) states them."""

    subscribed: int = 0  # shares subscribed (incl. ristournes paid in shares)
    transferred_in: int = 0
    transferred_out: int = 0
    redeemed: int = 0
    amount_subscribed: Decimal = ZERO
    paid: Decimal = ZERO
    unpaid_cancelled: Decimal = ZERO
    redeemed_amount: Decimal = ZERO
    repaid: Decimal = ZERO
    dates: dict[str, list[dt.date]] = field(default_factory=lambda: defaultdict(list))

    @property
    def held(self) -> int:
        return self.subscribed + self.transferred_in - self.transferred_out - self.redeemed

    @property
    def owing(self) -> Decimal:
        """What the member still owes on shares subscribed."""
        return self.amount_subscribed - self.paid - self.unpaid_cancelled

    @property
    def to_repay(self) -> Decimal:
        """What the co-op still owes the member on shares redeemed."""
        return self.redeemed_amount - self.repaid


def _add(f: ShareFigures, m: ShareMovement) -> None:
    f.dates[m.kind].append(m.date)
    if m.kind == MovementKind.SUBSCRIPTION:
        f.subscribed += m.shares
        f.amount_subscribed += m.amount
    elif m.kind == MovementKind.RISTOURNE:
        f.subscribed += m.shares
        f.amount_subscribed += m.amount
        f.paid += m.amount
    elif m.kind == MovementKind.PAYMENT:
        f.paid += m.amount
    elif m.kind == MovementKind.PAYMENT_UNDONE:
        f.paid -= m.amount
    elif m.kind == MovementKind.TRANSFER_IN:
        f.transferred_in += m.shares
    elif m.kind == MovementKind.TRANSFER_OUT:
        f.transferred_out += m.shares
    elif m.kind == MovementKind.REDEMPTION:
        f.redeemed += m.shares
        f.redeemed_amount += m.amount
        f.unpaid_cancelled += m.unpaid_cancelled
    elif m.kind == MovementKind.REPAYMENT:
        f.repaid += m.amount


def share_figures(member: Member, *, as_of: dt.date | None = None) -> ShareFigures:
    qs = ShareMovement.objects.filter(member=member)
    if as_of is not None:
        qs = qs.filter(date__lte=as_of)
    figures = ShareFigures()
    for m in qs.order_by("date", "id"):
        _add(figures, m)
    return figures


def share_figures_all(
    *, as_of: dt.date | None = None, member_ids: Iterable[int] | None = None
) -> dict[int, ShareFigures]:
    """Every member's figures (or these members') in one query (the register)."""
    qs = ShareMovement.objects.all()
    if member_ids is not None:
        qs = qs.filter(member_id__in=list(member_ids))
    if as_of is not None:
        qs = qs.filter(date__lte=as_of)
    out: dict[int, ShareFigures] = defaultdict(ShareFigures)
    for m in qs.order_by("date", "id"):
        _add(out[m.member_id], m)
    return out


def share_movements(*, user: User, member: Member) -> QuerySet[ShareMovement]:
    if not (is_board_or_staff(user) or member.user_id == user.pk):
        raise Http404
    return ShareMovement.objects.filter(member=member).order_by("date", "id")


def ledger_share_figures(member: Member) -> tuple[Decimal, Decimal]:
    """(share capital, subscriptions receivable) of one member, read from the
    ledger's lines (entries whose source is one of the member's movements)."""
    ct = ContentType.objects.get_for_model(ShareMovement)
    ids = ShareMovement.objects.filter(member=member).values("pk")
    lines = JournalLine.objects.filter(entry__source_type=ct, entry__source_id__in=ids)
    capital = lines.filter(account__code=accounts.SHARE_CAPITAL).aggregate(s=Sum("amount"))["s"]
    receivable = lines.filter(account__code=accounts.SHARES_RECEIVABLE).aggregate(s=Sum("amount"))[
        "s"
    ]
    return -(capital or ZERO), receivable or ZERO


def _instalment_months(bylaws: Bylaws) -> int:
    return bylaws.instalment_months if bylaws.instalments_allowed else 1


def scheduled(amount: Decimal, subscribed_on: dt.date, *, on: dt.date, months: int) -> Decimal:
    """What a subscription of ``amount`` made on ``subscribed_on`` asks by ``on``:
    one monthly instalment at subscription, then one each month on the same day,
    ``months`` in all (the by-laws' plan), to the cent."""
    if subscribed_on > on:
        return ZERO
    elapsed = (on.year - subscribed_on.year) * 12 + (on.month - subscribed_on.month) + 1
    if on.day < subscribed_on.day:
        elapsed -= 1
    parts = min(max(elapsed, 1), months)
    return (amount * parts / months).quantize(Decimal("0.01"))


def instalments_due(member: Member, *, on: dt.date, bylaws: Bylaws) -> Decimal:
    """How much of the member's subscriptions is due by ``on`` (instalment plan)."""
    months = _instalment_months(bylaws)
    subs = ShareMovement.objects.filter(
        member=member, kind=MovementKind.SUBSCRIPTION, date__lte=on
    ).values_list("date", "amount")
    return sum((scheduled(amount, date, on=on, months=months) for date, amount in subs), ZERO)


def payroll_instalments_due(member_ids: Iterable[int], *, on: dt.date) -> dict[int, Decimal]:
    """What each pay of ``on`` withholds for shares, by member (two queries for a run).

    For the members with a subscription paid by deductions from pay (and not
    withdrawn by then): the instalments of those subscriptions due by ``on``
    and not yet paid from pay — but no more than the member is behind on all
    their subscriptions (a payment by transfer counts) nor than they owe.
    Members owing nothing now are left out."""
    try:
        bylaws = bylaws_on(on)
    except NoBylaws:
        return {}
    months = _instalment_months(bylaws)
    by_payroll = (
        ShareMovement.objects.filter(
            member_id__in=list(member_ids),
            kind=MovementKind.SUBSCRIPTION,
            method=PaymentMethod.PAYROLL,
            date__lte=on,
        )
        .exclude(member__membership__withdrawn_on__lte=on)
        .values("member_id")
    )
    figures: dict[int, ShareFigures] = defaultdict(ShareFigures)
    due_all: dict[int, Decimal] = defaultdict(lambda: ZERO)
    due_pay: dict[int, Decimal] = defaultdict(lambda: ZERO)
    paid_all: dict[int, Decimal] = defaultdict(lambda: ZERO)
    paid_pay: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for m in ShareMovement.objects.filter(member_id__in=by_payroll).order_by("date", "id"):
        member_id = m.member_id
        _add(figures[member_id], m)
        payroll = m.method == PaymentMethod.PAYROLL
        if m.kind == MovementKind.SUBSCRIPTION:
            part = scheduled(m.amount, m.date, on=on, months=months)
            due_all[member_id] += part
            if payroll:
                due_pay[member_id] += part
        elif m.kind in (MovementKind.PAYMENT, MovementKind.PAYMENT_UNDONE):
            sign = 1 if m.kind == MovementKind.PAYMENT else -1
            paid_all[member_id] += sign * m.amount
            if payroll:
                paid_pay[member_id] += sign * m.amount
    out = {}
    for member_id, f in figures.items():
        behind = due_all[member_id] - paid_all[member_id] - f.unpaid_cancelled
        amount = min(f.owing, behind, due_pay[member_id] - paid_pay[member_id])
        if amount > 0:
            out[member_id] = amount
    return out


@dataclass(frozen=True)
class Standing:
    ok: bool
    problems: list[str]


def standing_on(member: Member, day: dt.date) -> Standing:
    """Is the member in good standing on ``day`` (may vote)? Every reason if not."""
    problems: list[str] = []
    membership = Membership.objects.filter(member=member).first()
    if membership is None or not membership.is_member_on(day):
        problems.append(_("Not a member on the record date."))
        return Standing(False, problems)
    bylaws = bylaws_on(day)
    figures = share_figures(member, as_of=day)
    qualifying = bylaws.qualifying_shares(membership.category)
    if figures.subscribed + figures.transferred_in - figures.transferred_out < qualifying:
        problems.append(_("Qualifying shares not subscribed (%(n)s required).") % {"n": qualifying})
    if bylaws.vote_requires_instalments_up_to_date:
        due = instalments_due(member, on=day, bylaws=bylaws)
        if figures.paid + figures.unpaid_cancelled < due:
            problems.append(_("Share instalments not up to date."))
    return Standing(not problems, problems)


def members_in_good_standing(day: dt.date) -> list[Member]:
    memberships = Membership.objects.filter(admitted_on__lte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )
    members = Member.objects.filter(pk__in=memberships.values("member_id")).select_related("user")
    return [m for m in members if standing_on(m, day).ok]


@dataclass(frozen=True)
class RegisterRow:
    membership: Membership
    figures: ShareFigures

    @property
    def member(self) -> Member:
        return self.membership.member


def register(*, user: User, as_of: dt.date | None = None) -> list[RegisterRow]:
    """The register of members (s. 124), for staff and the board."""
    require_board_or_staff(user)
    figures = share_figures_all(as_of=as_of)
    memberships = Membership.objects.select_related("member__user").order_by("member__number")
    if as_of is not None:
        memberships = memberships.filter(admitted_on__lte=as_of)
    return [RegisterRow(m, figures.get(m.member_id) or ShareFigures()) for m in memberships]


def register_entry(*, user: User, member: Member) -> RegisterRow:
    """One member's entry: their own, or any for staff and the board."""
    if not (is_board_or_staff(user) or member.user_id == user.pk):
        raise Http404
    membership = get_object_or_404(Membership.objects.select_related("member__user"), member=member)
    return RegisterRow(membership, share_figures(member))


# --- Applications, meetings, ballots --------------------------------------------


def application_list(*, user: User, status: str = "") -> QuerySet[Application]:
    require_board_or_staff(user)
    qs = Application.objects.all()
    return qs.filter(status=status) if status else qs


def application_get(*, user: User, pk: int) -> Application:
    return get_object_or_404(application_list(user=user), pk=pk)


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    """Members see the meetings called; staff and the board see drafts too."""
    if is_board_or_staff(user):
        return Meeting.objects.all()
    if member_of(user) is None:
        return Meeting.objects.none()
    return Meeting.objects.exclude(status=MeetingStatus.DRAFT)


def meeting_get(*, user: User, pk: int) -> Meeting:
    return get_object_or_404(meeting_list(user=user), pk=pk)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def fiscal_year_end_month(year: int) -> int:
    """The month fiscal year ``year`` ends in, as the by-laws in force at the
    end of calendar ``year`` set it (the earliest by-laws for a year before them;
    December when there are none)."""
    bylaws = (
        Bylaws.objects.filter(valid_from__lte=dt.date(year, 12, 31)).order_by("-valid_from").first()
        or Bylaws.objects.order_by("valid_from").first()
    )
    return bylaws.fiscal_year_end_month if bylaws is not None else 12


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``year``: the year that *ends* in
    calendar ``year``, in the by-laws' month (``Bylaws.fiscal_year_end_month``).
    Year end in March: fiscal 2026 runs from 1 April 2025 to 31 March 2026;
    in December it is the calendar year."""
    month = fiscal_year_end_month(year)
    end = _month_end(year, month)
    start = _month_end(year - 1, month) + dt.timedelta(days=1)
    return start, end


def last_fiscal_year_end(day: dt.date | None = None) -> dt.date:
    """The end of the last fiscal year ended on or before ``day`` (today)."""
    day = day or timezone.localdate()
    year = day.year
    while fiscal_year_bounds(year)[1] > day:
        year -= 1
    return fiscal_year_bounds(year)[1]


def annual_meeting_deadline(fiscal_year_end: dt.date) -> dt.date:
    """Six months after year end (s. 76)."""
    month = fiscal_year_end.month + 6
    year = fiscal_year_end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(fiscal_year_end.day, last))


def ballots_open_to(user: User, *, now: dt.datetime | None = None) -> list[Ballot]:
    """The ballots the person may vote on now: open, eligible, not yet voted."""
    member = member_of(user)
    if member is None:
        return []
    moment = now or timezone.now()
    ballots = (
        ballot_list(user=user)  # not the ballots of a meeting not yet called
        .filter(opens_at__lte=moment, closes_at__gt=moment, counted_at__isnull=True)
        .exclude(pk__in=Participation.objects.filter(member=member).values("ballot_id"))
        .prefetch_related("options")
        .order_by("closes_at", "id")
    )
    return [b for b in ballots if standing_on(member, b.record_date).ok]


def ballot_list(*, user: User) -> QuerySet[Ballot]:
    """Every ballot a member could see (members: of meetings called; staff: all)."""
    if is_board_or_staff(user):
        return Ballot.objects.all()
    if member_of(user) is None:
        return Ballot.objects.none()
    return Ballot.objects.filter(Q(meeting__isnull=True) | ~Q(meeting__status=MeetingStatus.DRAFT))


def ballot_get(*, user: User, pk: int) -> Ballot:
    return get_object_or_404(ballot_list(user=user).prefetch_related("options"), pk=pk)


def has_voted(ballot: Ballot, member: Member | None) -> bool:
    return (
        member is not None and Participation.objects.filter(ballot=ballot, member=member).exists()
    )


def quorum_for(members: int, bylaws: Bylaws) -> int:
    """The quorum: ``quorum_percent`` of the members, rounded up (at least one)."""
    return max(1, math.ceil(Decimal(members) * bylaws.quorum_percent / Decimal(100)))


def ristourne_list(*, user: User) -> QuerySet[RistourneAllocation]:
    require_board_or_staff(user)
    return RistourneAllocation.objects.all()


def ristourne_get(*, user: User, pk: int) -> RistourneAllocation:
    return get_object_or_404(ristourne_list(user=user), pk=pk)


def dated_act_problems(
    *,
    field: str,
    date: dt.date,
    membership: Membership,
    acting_user: User | None,
    today: dt.date | None = None,
) -> list[str]:
    """A member's own act (subscription, resignation) is dated today; staff
    (or the system) may record another date, neither before the admission
    nor in the future."""
    today = today or timezone.localdate()
    if acting_user is not None and not acting_user.is_staff:
        if date != today:
            return [_("%(f)s: your own request is dated today (%(d)s).") % {"f": field, "d": today}]
        return []
    problems = []
    if date > today:
        problems.append(_("%(f)s: a date in the future.") % {"f": field})
    if date < membership.admitted_on:
        problems.append(_("%(f)s: before the admission.") % {"f": field})
    return problems
