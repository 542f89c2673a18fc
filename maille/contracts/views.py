"""Quote pages: members draft, staff validate, the client answers through a signed link."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maille.clients.models import Client
from maille.clients.selectors import client_list
from maille.contracts import selectors, services
from maille.contracts.exceptions import ContractsError, QuoteLinkInvalid
from maille.contracts.forms import (
    CancelForm,
    DecisionForm,
    LineFormSet,
    QuoteForm,
    initial_lines,
    lines_from,
)
from maille.contracts.lines import LineIn
from maille.contracts.models import Quote, QuoteStatus
from maille.contracts.taxes_preview import preview_taxes, quote_taxes
from maille.core.audit import audit_trail
from maille.core.http import acting_user
from maille.core.models import User
from maille.core.views import paginate, render_list
from maille.documents import links
from maille.members.models import Activity, ActivityStatus
from maille.members.selectors import activity_list, member_of
from maille.taxes import sales as taxes


def _pdf_response(pdf: bytes, filename: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
def quote_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    status = request.GET.get("status", "")
    activity = request.GET.get("activity", "")
    client = request.GET.get("client", "")
    qs = selectors.quote_list(
        user=user,
        status=status,
        activity_id=int(activity) if activity.isdigit() else None,
        client_id=int(client) if client.isdigit() else None,
    )
    page = paginate(request, qs.prefetch_related("lines"))
    return render_list(
        request,
        "contracts/quote_list.html",
        {
            "page": page,
            "status": status,
            "statuses": QuoteStatus.choices,
            "activities": activity_list(user=user),
            "activity": activity,
            "client": client,
        },
    )


def _save(request: HttpRequest, user: User, quote: Quote | None) -> HttpResponse:
    activities = None
    activity: Activity | None
    if quote is None:
        # Starting work is one click: from the quotes list, a client or an
        # activity; the activity is chosen in the form when there are several.
        activities = activity_list(user=user, status=ActivityStatus.OPEN)
        wanted = request.GET.get("activity", "")
        activity = activities.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if activity is None and activities.count() == 1:
            activity = activities.first()
        wanted_client = request.GET.get("client", "")
        initial: dict[str, Any] = {
            "language": "fr",
            "ip_option": "assignment",
            "quote_date": timezone.localdate(),
            "valid_until": timezone.localdate() + dt.timedelta(days=30),
            "activity": activity.pk if activity else None,
            "client": int(wanted_client) if wanted_client.isdigit() else None,
        }
        line_initial: list[LineIn] = []
    else:
        activity = quote.activity
        initial = {
            f: getattr(quote, f) for f in QuoteForm.base_fields if f not in ("client", "activity")
        }
        initial["client"] = quote.client_id
        line_initial = initial_lines(quote.lines.all())
    data = request.POST if request.method == "POST" else None
    form = QuoteForm(data, initial=initial, activities=activities)
    formset = LineFormSet(_with_added_line(data), initial=line_initial, prefix="lines")
    saving = data is not None and "add_line" not in data
    if saving and form.is_valid() and formset.is_valid():
        cleaned = dict(form.cleaned_data)
        client: Client = cleaned.pop("client")
        try:
            if quote is None:
                activity = cleaned.pop("activity")
                if activity is None:
                    raise ContractsError(_("Choose the activity of the quote."))
                author = member_of(user) or activity.owners.first()
                if author is None:
                    raise ContractsError(_("The activity has no owner member."))
                quote = services.quote_create(
                    activity=activity,
                    client=client,
                    author=author,
                    acting_user=user,
                    lines=lines_from(formset),
                    **cleaned,
                )
            else:
                services.quote_update(
                    quote=quote, acting_user=user, lines=lines_from(formset), **cleaned
                )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except (ContractsError, PermissionError) as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Quote saved."))
            return redirect("contracts:detail", pk=quote.pk)
    return render(
        request,
        "contracts/quote_form.html",
        {"form": form, "formset": formset, "quote": quote, "activity": activity},
    )


def _with_added_line(data: Any) -> Any:
    """The posted lines with one more empty row ("Add a line": nothing is saved)."""
    if data is None or "add_line" not in data:
        return data
    data = data.copy()
    total = int(data.get("lines-TOTAL_FORMS", "0") or 0)
    data["lines-TOTAL_FORMS"] = str(min(total + 1, 200))
    return data


@login_required
@require_POST
def quote_totals(request: HttpRequest) -> HttpResponse:
    """The quote form's subtotal, taxes and total as the member types (htmx):
    the same tax module as the documents, nothing saved."""
    user = acting_user(request)
    form = QuoteForm(request.POST)
    formset = LineFormSet(request.POST, prefix="lines")
    client = None
    wanted = request.POST.get("client", "")
    if wanted.isdigit():
        client = client_list(user=user).filter(pk=int(wanted)).first()
    on = timezone.localdate()
    with contextlib.suppress(ValidationError):
        on = form.fields["quote_date"].clean(request.POST.get("quote_date", "")) or on
    rows = []
    problems = []
    for i, line in enumerate(formset.forms, start=1):
        if not line.is_valid():
            if line.has_changed():
                problems.append(_("Line %(n)s cannot be read yet.") % {"n": i})
            continue
        data = line.cleaned_data
        if data.get("DELETE") or data.get("quantity") is None or data.get("unit_price") is None:
            continue
        rows.append((data["quantity"], data["unit_price"], data["tax_treatment"]))
    result = preview_taxes(client=client, on=on, rows=rows)
    return render(
        request,
        "contracts/_live_totals.html",
        {"preview": result, "problems": problems, "client": client},
    )


@login_required
def quote_create(request: HttpRequest) -> HttpResponse:
    return _save(request, acting_user(request), None)


@login_required
def quote_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    quote = selectors.quote_get(user=user, pk=pk)
    if not quote.is_editable:
        messages.error(request, _("This quote can no longer change."))
        return redirect("contracts:detail", pk=quote.pk)
    return _save(request, user, quote)


@login_required
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    quote = selectors.quote_get(user=user, pk=pk)
    context: dict[str, Any] = {
        "quote": quote,
        "lines": quote.lines.all(),
        "milestones": quote.milestones.all(),
        "decision": getattr(quote, "decision", None),
        "invoices": quote.invoices.all(),
        "cancel_form": CancelForm(initial={"cancelled_on": timezone.localdate()}),
        "has_contact": quote.client.contacts.exclude(email="").exists(),
        "tax": _quote_taxes(quote),
    }
    if quote.status == QuoteStatus.SENT and quote.link_nonce:
        context["link"] = request.build_absolute_uri(links.link_path(quote))
    if user.is_staff:
        context["audit"] = audit_trail(quote)
    return render(request, "contracts/quote_detail.html", context)


def _quote_taxes(quote: Quote) -> taxes.TaxResult | None:
    """The taxes and total the client will pay (None when they cannot be computed yet)."""
    try:
        return quote_taxes(quote)
    except taxes.TaxError:
        return None


ACTIONS = {
    "submit": services.quote_submit,
    "validate": services.quote_validate,
    "return": services.quote_return_to_draft,
    "withdraw": services.quote_withdraw,
    "revoke": services.quote_link_revoke,
}


@login_required
@require_POST
def quote_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    quote = selectors.quote_get(user=user, pk=pk)
    try:
        if action == "send":
            services.quote_send(quote=quote, acting_user=user)
            done = _("The quote was emailed to the client's contacts.")
        elif action == "hand":
            services.quote_send(quote=quote, acting_user=user, email=False)
            done = _(
                "The link is open, and nobody was emailed: copy the link below and give it "
                "to the client yourself."
            )
        elif action == "cancel":
            if not user.is_staff:
                raise Http404
            form = CancelForm(request.POST)
            if not form.is_valid():
                raise ContractsError(_("Give the date and the reason of the cancellation."))
            services.quote_cancel(quote=quote, acting_user=user, **form.cleaned_data)
            done = _("Done.")
        elif action in ACTIONS:
            if action in ("validate", "revoke") and not user.is_staff:
                raise Http404
            ACTIONS[action](quote=quote, acting_user=user)
            done = _("Done.")
        else:
            raise Http404
    except ContractsError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionError:
        raise Http404 from None
    else:
        messages.success(request, done)
    return redirect("contracts:detail", pk=quote.pk)


@login_required
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get(user=acting_user(request), pk=pk)
    if quote.document_pdf:
        pdf = bytes(quote.document_pdf)
    else:
        from maille.contracts.documents import quote_pdf as render

        pdf = render(quote)
    return _pdf_response(pdf, f"{quote.number}.pdf")


# ---------------------------------------------------------------- the client's link


def _quote_for_link(token: str) -> Quote:
    try:
        return services.quote_from_token(token)
    except QuoteLinkInvalid as exc:
        raise Http404(str(exc)) from exc


@never_cache  # a client's contract and amounts: kept in no cache (issue 8)
def quote_public(request: HttpRequest, token: str) -> HttpResponse:
    """What the client sees: the exact PDF, then their name, role and decision."""
    try:
        quote = services.quote_from_token(token)
    except QuoteLinkInvalid as exc:
        return render(request, "contracts/quote_public.html", {"error": str(exc)}, status=404)
    form = DecisionForm(request.POST or None, initial={"document_sha256": quote.document_sha256})
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        try:
            services.quote_decide(
                quote=quote,
                decision=decision or "",
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
                **{
                    k: form.cleaned_data[k]
                    for k in ("signer_name", "signer_role", "document_sha256", "reason")
                },
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except ContractsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Thank you: the quote is accepted.")
                if decision == "accepted"
                else _("The quote is refused; your answer is recorded."),
            )
            return redirect("contracts:public", token=token)
        quote.refresh_from_db()
    return render(
        request,
        "contracts/quote_public.html",
        {
            "quote": quote,
            "form": form,
            "token": token,
            "decision": getattr(quote, "decision", None),
            "lines": quote.lines.all(),
            "tax": _quote_taxes(quote),
        },
    )


@never_cache  # a client's contract and amounts: kept in no cache (issue 8)
def quote_public_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The exact document the client is asked to accept (its SHA-256 is on the page)."""
    quote = _quote_for_link(token)
    pdf = bytes(quote.document_pdf or b"")
    if hashlib.sha256(pdf).hexdigest() != quote.document_sha256:
        raise Http404
    return _pdf_response(pdf, f"{quote.number}.pdf")
