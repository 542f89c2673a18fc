"""Joining and leaving: applications, board decisions, admission, resignation, exclusion.

A person applies on the public form (with a separate, specific consent to the
processing of their personal information, Law 25); an adviser reviews the
application with notes; the board admits or refuses it by a dated decision
with the directors present. Admission opens the member's file and login
(``members.services.member_create``), a first activity, the register line
(``Membership``), and emails them — after commit, in their language — to set
their password and subscribe their qualifying shares.

Leaving: a resignation is a dated request; an exclusion is a board decision
with reasons after the hearing the by-laws give (the member notified of it
at least ``Bylaws.exclusion_hearing_days`` before). The member's activities are
closed once nothing is open on them in the ledger; their shares are redeemed
as the by-laws allow (``shares.shares_redeem``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO
from maille.governance.exceptions import GovernanceError
from maille.governance.models import (
    Application,
    ApplicationStatus,
    BoardDecision,
    DecisionKind,
    Membership,
    WithdrawalKind,
)
from maille.governance.selectors import bylaws_on, dated_act_problems, is_board_or_staff
from maille.ledger.selectors import activity_money
from maille.members.models import Activity, ActivityStatus, Member, MemberStatus
from maille.members.selectors import directors
from maille.members.services import (
    activity_close,
    activity_create,
    member_create,
    member_set_status,
)

APPLICATION_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "city",
    "province",
    "postal_code",
    "language",
    "category",
    "activity_planned",
    "heard_from",
)


@transaction.atomic
def application_submit(*, consent: bool, **fields: str) -> Application:
    """The public form: no login; the consent is required and dated."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    if not consent:
        raise GovernanceError(
            _("consent: we need your consent to process your personal information.")
        )
    if Member.objects.filter(user__email__iexact=fields.get("email", "")).exists():
        raise GovernanceError(_("email: this person is already a member."))
    return Application.objects.create(consent_at=timezone.now(), **fields)


@transaction.atomic
def application_review(*, application: Application, notes: str, acting_user: User) -> Application:
    if not acting_user.is_staff:
        raise PermissionError(_("Only staff review applications."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
        raise GovernanceError(_("This application has already been decided."))
    application.adviser_notes = notes
    application.status = ApplicationStatus.REVIEWED
    application.reviewed_by = acting_user
    application._change_reason = "review"  # type: ignore[attr-defined]
    application.save()
    return application


def board_decision_problems(date: dt.date, present: list[Member]) -> list[str]:
    """A board decision needs a majority of the directors of that day present."""
    board = list(directors(date))
    problems = []
    if not board:
        problems.append(_("There is no director on %(d)s: mark the board first.") % {"d": date})
    strangers = [m for m in present if m not in board]
    if strangers:
        problems.append(
            _("directors_present: not a director on %(d)s: %(names)s")
            % {"d": date, "names": ", ".join(m.full_name for m in strangers)}
        )
    if board and len({m.pk for m in present} - {m.pk for m in strangers}) * 2 <= len(board):
        problems.append(
            _("directors_present: a majority of the %(n)s directors must be present.")
            % {"n": len(board)}
        )
    return problems


@transaction.atomic
def board_decision_record(
    *, date: dt.date, kind: str, text: str, directors_present: list[Member], acting_user: User
) -> BoardDecision:
    if not is_board_or_staff(acting_user):
        raise PermissionError(_("Only staff and directors record the board's decisions."))
    problems = board_decision_problems(date, directors_present)
    if not text.strip():
        problems.append(_("text: state the decision and its reasons."))
    if problems:
        raise GovernanceError(" ".join(problems))
    decision = BoardDecision.objects.create(
        date=date, kind=kind, text=text, recorded_by=acting_user
    )
    decision.directors_present.set(directors_present)
    return decision


@transaction.atomic
def application_decide(
    *,
    application: Application,
    admit: bool,
    date: dt.date,
    text: str,
    directors_present: list[Member],
    acting_user: User,
) -> Application:
    """The board admits or refuses; admission opens the member's file, login and first activity."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status in (ApplicationStatus.ADMITTED, ApplicationStatus.REFUSED):
        raise GovernanceError(_("This application has already been decided."))
    decision = board_decision_record(
        date=date,
        kind=DecisionKind.ADMISSION if admit else DecisionKind.REFUSAL,
        text=text,
        directors_present=directors_present,
        acting_user=acting_user,
    )
    application.decision = decision
    if not admit:
        application.status = ApplicationStatus.REFUSED
        application.save()
        return application
    member = member_create(
        email=application.email,
        first_name=application.first_name,
        last_name=application.last_name,
        language=application.language,
        acting_user=acting_user,
        status=MemberStatus.ACTIVE,
        applied_on=date,
        phone=application.phone,
        street=application.street,
        city=application.city,
        province=application.province,
        postal_code=application.postal_code,
    )
    Membership.objects.create(member=member, category=application.category, admitted_on=date)
    activity_create(
        name=_("Activity of %(name)s") % {"name": member.full_name},
        owners=[member],
        acting_user=acting_user,
        start_date=date,
        description=application.activity_planned[:1000],
    )
    application.status = ApplicationStatus.ADMITTED
    application.member = member
    application.save()
    member_id = member.pk
    transaction.on_commit(lambda: welcome_email(member_id))
    return application


def welcome_email(member_id: int) -> None:
    """After commit: tell the new member to set their password and subscribe their shares."""
    member = Member.objects.select_related("user", "membership").get(pk=member_id)
    bylaws = bylaws_on(member.membership.admitted_on)
    with translation.override(member.user.language or "fr"):
        send_mail(
            subject=_("Welcome to the co-op"),
            message=_(
                "The board admitted you as a member on %(date)s. Set your password at "
                "%(site)s/accounts/password/reset/ and subscribe your %(n)s qualifying shares "
                "(%(price)s each) on %(site)s/gouvernance/mes-parts/."
            )
            % {
                "date": member.membership.admitted_on,
                "site": settings.MAILLE_SITE_URL,
                "n": bylaws.qualifying_shares(member.membership.category),
                "price": bylaws.share_price,
            },
            from_email=None,
            recipient_list=[member.user.email],
        )


def _membership_locked(member: Member) -> Membership:
    membership = Membership.objects.select_for_update().filter(member=member).first()
    if membership is None:
        raise GovernanceError(_("%(m)s has not been admitted.") % {"m": member})
    return membership


@transaction.atomic
def resignation_request(*, member: Member, requested_on: dt.date, acting_user: User) -> Membership:
    """A member resigns (their own request, or staff recording it)."""
    if not (acting_user.is_staff or member.user_id == acting_user.pk):
        raise PermissionError(_("Only the member or staff record a resignation."))
    membership = _membership_locked(member)
    if membership.withdrawn_on or membership.withdrawal_requested_on:
        raise GovernanceError(_("This member has already resigned or withdrawn."))
    problems = dated_act_problems(
        field="requested_on", date=requested_on, membership=membership, acting_user=acting_user
    )
    if problems:
        raise GovernanceError(" ".join(problems))
    membership.withdrawal_requested_on = requested_on
    membership.withdrawal_kind = WithdrawalKind.RESIGNATION
    membership.save()
    return membership


def _settled(activity: Activity) -> bool:
    money = activity_money(activity=activity)
    return money.balance == ZERO and money.owed_by_clients == ZERO


def activities_closing(member: Member) -> list[Activity]:
    """A withdrawn member's own activities still open: they close once settled."""
    if not Membership.objects.filter(member=member, withdrawn_on__isnull=False).exists():
        return []
    return list(_own_open_activities().filter(owners=member).order_by("code"))


def _own_open_activities() -> QuerySet[Activity]:
    """Open activities with a single owner (a shared one goes on with the others)."""
    return Activity.objects.filter(status=ActivityStatus.OPEN).alias(n=Count("owners")).filter(n=1)


@transaction.atomic
def withdrawn_activities_close(
    *, acting_user: User | None = None, member: Member | None = None
) -> list[Activity]:
    """Close the activities of withdrawn or excluded members whose balances are
    now settled (nothing open in the ledger on the activity); the others stay
    open until they are. Run daily by ``maille scheduler`` and by staff from the
    member's governance page; idempotent."""
    if acting_user is not None and not acting_user.is_staff:
        raise PermissionError(_("Only staff record a withdrawal."))
    # Only the withdrawn still holding an open activity of their own: the
    # daily job does not read every member who ever left.
    memberships = (
        Membership.objects.filter(
            withdrawn_on__isnull=False,
            member__activities__in=_own_open_activities(),
        )
        .distinct()
        .select_related("member")
    )
    if member is not None:
        memberships = memberships.filter(member=member)
    closed: list[Activity] = []
    for membership in memberships:
        left_on = membership.withdrawn_on or membership.admitted_on  # filtered: withdrawn
        closed.extend(
            activity_close(
                activity=activity,
                acting_user=acting_user,  # type: ignore[arg-type]
                end_date=max(left_on, activity.start_date),
            )
            for activity in activities_closing(membership.member)
            if _settled(activity)
        )
    return closed


def hearing_problems(
    *,
    notice_on: dt.date | None,
    hearing_on: dt.date | None,
    decision_on: dt.date,
) -> list[str]:
    """An exclusion is decided after the member was heard, and the hearing came
    at least the by-laws' notice (``exclusion_hearing_days``, in force on the
    day of the notice) after the member was notified of it."""
    problems = []
    if hearing_on is None or hearing_on > decision_on:
        problems.append(_("hearing_on: the member must be heard before the decision."))
    if notice_on is None:
        problems.append(
            _("hearing_notice_on: give the date the member was notified of the hearing.")
        )
    elif hearing_on is not None:
        days = bylaws_on(notice_on).exclusion_hearing_days
        if (hearing_on - notice_on).days < days:
            problems.append(
                _(
                    "hearing_notice_on: the by-laws give the member %(days)s days of notice "
                    "before the hearing; notified on %(notice)s, they could be heard from "
                    "%(earliest)s, not on %(hearing)s."
                )
                % {
                    "days": days,
                    "notice": notice_on.isoformat(),
                    "earliest": (notice_on + dt.timedelta(days=days)).isoformat(),
                    "hearing": hearing_on.isoformat(),
                }
            )
    return problems


@transaction.atomic
def membership_end(
    *,
    member: Member,
    effective_on: dt.date,
    acting_user: User,
    decision: BoardDecision | None = None,
    reasons: str = "",
    hearing_on: dt.date | None = None,
    hearing_notice_on: dt.date | None = None,
) -> Membership:
    """The member leaves: a resignation takes effect, or the board excludes them.

    Exclusion: a board decision of kind exclusion, with reasons, after a hearing
    the member was notified of at least the by-laws' notice before it
    (``hearing_problems``)."""
    if not acting_user.is_staff:
        raise PermissionError(_("Only staff record a withdrawal."))
    membership = _membership_locked(member)
    problems = []
    if membership.withdrawn_on:
        problems.append(_("This member has already withdrawn."))
    if decision is not None:
        if decision.kind != DecisionKind.EXCLUSION:
            problems.append(_("decision: an exclusion needs a board decision of exclusion."))
        if not reasons.strip():
            problems.append(_("reasons: state why the member is excluded."))
        problems += hearing_problems(
            notice_on=hearing_notice_on, hearing_on=hearing_on, decision_on=decision.date
        )
    elif membership.withdrawal_requested_on is None:
        problems.append(_("The member has not resigned: record their request first."))
    if effective_on < membership.admitted_on:
        problems.append(_("effective_on: before the admission."))
    if problems:
        raise GovernanceError(" ".join(problems))
    # The withdrawal takes effect even if money is still owed (the board can
    # exclude a member who owes): activities with nothing open close now, the
    # others once settled (``withdrawn_activities_close``, ``activities_closing``).
    for activity in Activity.objects.filter(owners=member, status=ActivityStatus.OPEN):
        if activity.owners.count() == 1 and _settled(activity):
            activity_close(
                activity=activity,
                acting_user=acting_user,
                end_date=max(effective_on, activity.start_date),
            )
    membership.withdrawn_on = effective_on
    if decision is not None:
        membership.withdrawal_kind = WithdrawalKind.EXCLUSION
        membership.withdrawal_reason = reasons
        membership.hearing_on = hearing_on
        membership.hearing_notice_on = hearing_notice_on
    membership.save()
    member_set_status(
        member=member,
        status=MemberStatus.WITHDRAWN,
        effective_date=effective_on,
        reason=membership.get_withdrawal_kind_display(),
        acting_user=acting_user,
    )
    return membership
