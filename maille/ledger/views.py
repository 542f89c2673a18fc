"""Ledger pages: an activity's statement (its owners and staff), the trial
balance, the general ledger and periods (staff), each with a CSV download."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.core.http import acting_user
from maille.core.money import money_str
from maille.core.views import paginate, staff_required
from maille.ledger import export, selectors, services
from maille.ledger.exceptions import PeriodError
from maille.ledger.forms import (
    AsOfForm,
    DateRangeForm,
    PeriodCloseForm,
    PeriodReopenForm,
    StatementForm,
)
from maille.ledger.models import Account
from maille.members.models import Activity
from maille.members.selectors import activity_get


def _require_staff(request: HttpRequest) -> None:
    # Like core.views.staff_required, for the streamed downloads.
    if not acting_user(request, staff_or_member=False).is_staff:
        raise Http404


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cleaned(form: Any) -> dict[str, Any]:
    """The valid filters; an invalid form filters nothing and shows its errors."""
    return form.cleaned_data if form.is_valid() else {}


def _statement_for(request: HttpRequest, pk: int) -> tuple[Activity, Any, selectors.Statement]:
    # Scoped: a member reaches only their own activities (404 otherwise).
    activity = activity_get(user=acting_user(request, staff_or_member=False), pk=pk)
    form = StatementForm(request.GET or None)
    data = _cleaned(form)
    account: Account | None = None
    if data.get("account"):
        account = selectors.account_get(data["account"])
        if account is None:
            form.add_error("account", _("There is no such account."))
    statement = selectors.activity_statement(
        activity=activity,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        account=account,
    )
    return activity, form, statement


@login_required
def activity_statement(request: HttpRequest, pk: int) -> HttpResponse:
    activity, form, statement = _statement_for(request, pk)
    user = acting_user(request)
    context: dict[str, Any] = {"activity": activity, "form": form, "statement": statement}
    template = "ledger/activity_statement.html"
    if user.is_staff and request.GET.get("view") != "plain":
        # The accountant's view: every line, debit and credit, running balance.
        context["page"] = paginate(request, statement.lines, per_page=100)
        if request.htmx:  # type: ignore[attr-defined]
            template += "#lines"
        return render(request, template, context)
    # The member's view: what came in and went out of the activity, in words.
    page = paginate(request, statement.lines, per_page=100)
    for line in page:
        line.plain = selectors.plain_label(line.account)
        line.signed = selectors.plain_amount(line)
    context.update(
        page=page,
        plain=True,
        money=selectors.activity_money(activity=activity, as_of=statement.date_to),
    )
    return render(request, template, context)


@login_required
def activity_statement_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    activity, _form, statement = _statement_for(request, pk)
    return _csv_response(_statement_rows(statement), f"statement-{activity.code}.csv")


def _statement_rows(statement: selectors.Statement) -> Iterator[list[str]]:
    yield [*export.JOURNAL_HEADER, "balance"]
    for line in statement.lines.iterator(chunk_size=2000):
        yield [*export.journal_row(line), money_str(line.running)]  # type: ignore[attr-defined]


def _as_of(request: HttpRequest) -> tuple[AsOfForm, dt.date | None]:
    form = AsOfForm(request.GET or None)
    return form, _cleaned(form).get("as_of")


@staff_required
def trial_balance(request: HttpRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    return render(
        request,
        "ledger/trial_balance.html",
        {"form": form, "tb": selectors.trial_balance(as_of=as_of), "as_of": as_of},
    )


@login_required
def trial_balance_csv(request: HttpRequest) -> HttpResponseBase:
    _require_staff(request)
    _form, as_of = _as_of(request)
    name = f"trial-balance-{as_of.isoformat()}.csv" if as_of else "trial-balance.csv"
    return _csv_response(export.trial_balance_rows(selectors.trial_balance(as_of=as_of)), name)


def _general_ledger_for(request: HttpRequest, code: str) -> tuple[Account, Any, Any]:
    account = selectors.account_get(code)
    if account is None:
        raise Http404
    form = DateRangeForm(request.GET or None)
    data = _cleaned(form)
    ledger = selectors.general_ledger(
        account=account, date_from=data.get("date_from"), date_to=data.get("date_to")
    )
    return account, form, ledger


@staff_required
def general_ledger(request: HttpRequest, code: str) -> HttpResponse:
    account, form, ledger = _general_ledger_for(request, code)
    page = paginate(request, ledger.lines, per_page=100)
    template = "ledger/general_ledger.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#lines"
    return render(
        request, template, {"account": account, "form": form, "ledger": ledger, "page": page}
    )


@login_required
def general_ledger_csv(request: HttpRequest, code: str) -> HttpResponseBase:
    _require_staff(request)
    account, _form, ledger = _general_ledger_for(request, code)
    return _csv_response(_statement_rows(ledger), f"general-ledger-{account.code}.csv")


@staff_required
def period_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ledger/periods.html",
        {
            "periods": selectors.period_list(),
            "close_form": PeriodCloseForm(),
            "reopen_form": PeriodReopenForm(),
        },
    )


def _period_change(
    request: HttpRequest,
    form: forms.Form,
    change: Callable[..., Any],
    done: str,
    invalid: str,
) -> HttpResponse:
    """Close or reopen a month from the periods page; a refusal is shown there."""
    if form.is_valid():
        try:
            period = change(
                month=form.cleaned_data["month"],
                reason=form.cleaned_data["reason"],
                acting_user=acting_user(request, staff_or_member=False),
            )
        except (PeriodError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done % {"month": period})
    else:
        messages.error(request, invalid)
    return redirect("ledger:periods")


@staff_required
@require_POST
def period_close(request: HttpRequest) -> HttpResponse:
    return _period_change(
        request,
        PeriodCloseForm(request.POST),
        services.period_close,
        _("Period %(month)s closed."),
        _("The period was not closed: check the form."),
    )


@staff_required
@require_POST
def period_reopen(request: HttpRequest) -> HttpResponse:
    return _period_change(
        request,
        PeriodReopenForm(request.POST),
        services.period_reopen,
        _("Period %(month)s reopened."),
        _("Give the reason for reopening the period."),
    )
