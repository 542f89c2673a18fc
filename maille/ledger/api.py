"""API for the ledger, ``/api/v1/ledger``: the reads of the pages, scoped the same
way (a member reaches only their own activities; the co-op-wide reads are
staff's), and closing or reopening a period. Money is a string with two
decimals (``"1149.75"``), debit positive and credit negative."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from maille.core.http import acting_user
from maille.core.models import User
from maille.core.money import round_half_up
from maille.core.schemas import ErrorOut, Id, Money, Pagination, Text300
from maille.ledger import export, selectors, services
from maille.ledger.models import Account, JournalLine, Period
from maille.members.models import Activity
from maille.members.selectors import activity_get

router = Router(tags=["ledger"])

AccountCode = Annotated[str, Field(pattern=r"^[0-9]{4,10}$", examples=["1100"])]
# Dates the database and date arithmetic can hold without overflowing.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]


def _staff(request: HttpRequest) -> User:
    user = acting_user(request)
    if not user.is_staff:
        raise Http404  # staff reads do not reveal they exist
    return user


def _account(code: str | None) -> Account | None:
    if code is None:
        return None
    account = selectors.account_get(code)
    if account is None:
        raise HttpError(422, _("There is no account with this code."))
    return account


class AccountOut(Schema):
    code: str
    name_fr: str
    name_en: str
    type: str
    is_open: bool


class BalanceOut(Schema):
    account: str | None
    activity_id: int | None
    as_of: dt.date | None
    balance: Money


class AccountBalanceOut(Schema):
    account: str
    name: str
    type: str
    debit: Money | None
    credit: Money | None
    balance: Money


class TrialBalanceOut(Schema):
    as_of: dt.date | None
    rows: list[AccountBalanceOut]
    total_debit: Money
    total_credit: Money


class SourceOut(Schema):
    type: str
    id: int
    url: str | None


class JournalLineOut(Schema):
    date: dt.date
    entry_id: int
    entry: str = Field(alias="entry.display_number")
    description: str = Field(alias="entry.description")
    account: str = Field(alias="account.code")
    activity: str = Field(alias="activity.code")
    amount: Money
    debit: Money | None
    credit: Money | None
    balance: Money
    memo: str
    reverses_entry_id: int | None = Field(alias="entry.reverses_id")
    source: SourceOut | None

    @staticmethod
    def resolve_balance(obj: JournalLine) -> Decimal:
        # SQLite sums a window in floating point (0.10 + 0.20 - 0.30 is 5.55e-17):
        # back to cents, or the 14-digit Money refuses it with a 500.
        return round_half_up(obj.running)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_source(obj: JournalLine) -> dict[str, Any] | None:
        ref = export.source_ref(obj.entry)
        if not ref:
            return None
        kind, _sep, pk = ref.partition(":")
        return {"type": kind, "id": int(pk), "url": obj.entry.source_url}


class StatementOut(Schema):
    date_from: dt.date | None
    date_to: dt.date | None
    opening: Money
    closing: Money
    balances: list[AccountBalanceOut]


class PeriodOut(Schema):
    month: dt.date
    is_closed: bool


class PeriodIn(Schema):
    reason: Text300 = ""


class ReasonIn(Schema):
    reason: Text300


class DateRange(Schema):
    date_from: Day | None = None
    date_to: Day | None = None
    account: AccountCode | None = None


def _rows(rows: list[selectors.TrialBalanceRow]) -> list[dict[str, Any]]:
    return [
        {
            "account": r.account.code,
            "name": r.account.name,
            "type": r.account.type,
            "debit": r.debit,
            "credit": r.credit,
            "balance": r.balance,
        }
        for r in rows
    ]


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    return activity_get(user=acting_user(request), pk=activity_id)


@router.get("/accounts", response=list[AccountOut], summary="The chart of accounts")
def accounts_list(request: HttpRequest) -> QuerySet[Account]:
    acting_user(request)
    return selectors.account_list()


@router.get(
    "/balance",
    response={200: BalanceOut, 404: ErrorOut, 422: ErrorOut},
    summary="Balance of an account, an activity, or both, as of a date",
    description="Members must name one of their activities; staff may ask for any balance.",
)
def balance_get(
    request: HttpRequest,
    account: AccountCode | None = None,
    activity_id: Id | None = None,
    as_of: Day | None = None,
) -> dict[str, Any]:
    user = acting_user(request)
    activity = activity_get(user=user, pk=activity_id) if activity_id else None
    if activity is None and not user.is_staff:
        raise HttpError(422, _("Name one of your activities (activity_id)."))
    _account(account)
    return {
        "account": account,
        "activity_id": activity.pk if activity else None,
        "as_of": as_of,
        "balance": selectors.balance(account=account, activity=activity, as_of=as_of),
    }


@router.get(
    "/activities/{activity_id}/statement",
    response={200: StatementOut, 404: ErrorOut, 422: ErrorOut},
    summary="An activity's balances between two dates (its lines: /lines)",
)
def statement_get(
    request: HttpRequest, activity_id: Id, filters: Query[DateRange]
) -> dict[str, Any]:
    statement = selectors.activity_statement(
        activity=_activity(request, activity_id),
        date_from=filters.date_from,
        date_to=filters.date_to,
        account=_account(filters.account),
    )
    return {
        "date_from": statement.date_from,
        "date_to": statement.date_to,
        "opening": statement.opening,
        "closing": statement.closing,
        "balances": _rows(statement.summary),
    }


@router.get(
    "/activities/{activity_id}/lines",
    response={200: list[JournalLineOut], 404: ErrorOut, 422: ErrorOut},
    summary="An activity's lines, in order, with the running balance",
)
@paginate(Pagination)
def statement_lines(
    request: HttpRequest, activity_id: Id, filters: Query[DateRange]
) -> QuerySet[JournalLine]:
    return selectors.activity_statement(
        activity=_activity(request, activity_id),
        date_from=filters.date_from,
        date_to=filters.date_to,
        account=_account(filters.account),
    ).lines


@router.get(
    "/trial-balance",
    response={200: TrialBalanceOut, 404: ErrorOut, 422: ErrorOut},
    summary="Trial balance (staff)",
)
def trial_balance_get(request: HttpRequest, as_of: Day | None = None) -> dict[str, Any]:
    _staff(request)
    tb = selectors.trial_balance(as_of=as_of)
    return {
        "as_of": as_of,
        "rows": _rows(tb.rows),
        "total_debit": tb.total_debit,
        "total_credit": tb.total_credit,
    }


@router.get(
    "/accounts/{code}/lines",
    response={200: list[JournalLineOut], 404: ErrorOut, 422: ErrorOut},
    summary="General ledger of one account (staff)",
)
@paginate(Pagination)
def general_ledger_lines(
    request: HttpRequest,
    code: AccountCode,
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> QuerySet[JournalLine]:
    _staff(request)
    account = selectors.account_get(code)
    if account is None:
        raise Http404
    return selectors.general_ledger(account=account, date_from=date_from, date_to=date_to).lines


@router.get("/periods", response={200: list[PeriodOut], 404: ErrorOut}, summary="Periods (staff)")
def periods_list(request: HttpRequest) -> QuerySet[Period]:
    _staff(request)
    return Period.objects.order_by("-month")


@router.post(
    "/periods/{month}/close",
    response={200: PeriodOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Close a month (staff). month: any day of it, YYYY-MM-DD",
)
def period_close(request: HttpRequest, month: Day, payload: PeriodIn) -> Period:
    user = _staff(request)
    return services.period_close(month=month, acting_user=user, reason=payload.reason)


@router.post(
    "/periods/{month}/reopen",
    response={200: PeriodOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Reopen a month (administrators), saying why",
)
def period_reopen(request: HttpRequest, month: Day, payload: ReasonIn) -> Period:
    user = _staff(request)
    return services.period_reopen(month=month, acting_user=user, reason=payload.reason)
