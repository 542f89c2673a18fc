"""Guarantee fund pages: the fund for members, the board's stress simulation,
eligibility on invoices and quotes, client risk, staff decisions.

The members' page shows figures only: no client, no member, no invoice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.clients.models import Client
from maille.contracts.selectors import quote_get
from maille.core.http import acting_user
from maille.core.views import paginate, staff_required
from maille.guarantee import job, risk, selectors, services
from maille.guarantee.exceptions import GuaranteeError, GuaranteeInputError
from maille.guarantee.forms import ContractForm, ExclusionForm, StressForm
from maille.guarantee.models import GuaranteePolicy
from maille.invoicing.selectors import invoice_get


def chart_points(history: list[selectors.MonthPoint]) -> dict[str, Any]:
    """SVG polylines (viewBox 0 0 300 100) of the balance and the exposure by month."""
    if not history:
        return {"balance": "", "exposure": "", "months": []}
    top = max([max(p.balance, p.exposure) for p in history] + [Decimal(1)])
    low = min([min(p.balance, Decimal(0)) for p in history])
    span = top - low or Decimal(1)
    step = Decimal(300) / max(len(history) - 1, 1)

    def line(values: list[Decimal]) -> str:
        return " ".join(
            f"{(step * i):.1f},{(Decimal(100) - (v - low) * 100 / span):.1f}"
            for i, v in enumerate(values)
        )

    return {
        "balance": line([p.balance for p in history]),
        "exposure": line([p.exposure for p in history]),
        "months": history,
    }


@login_required
def fund(request: HttpRequest) -> HttpResponse:
    """The fund for every member: balance, exposure, coverage, losses, delay, a chart."""
    user = acting_user(request)
    figures = selectors.fund_figures()
    history = selectors.fund_history(months=24)
    return render(
        request,
        "guarantee/fund.html",
        {
            "figures": figures,
            "delay": selectors.average_delay_days(),
            "history": history,
            "chart": chart_points(history),
            "policy": GuaranteePolicy.in_force(timezone.localdate()),
            "may_simulate": selectors.may_simulate(user),
        },
    )


@login_required
def stress(request: HttpRequest) -> HttpResponse:
    """The board's stress simulation (directors, staff, admins; others 404)."""
    user = acting_user(request)
    if not selectors.may_simulate(user):
        raise Http404
    form = StressForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = risk.stress_simulation(
            client_ids=[c.pk for c in form.cleaned_data["clients"]],
            largest=form.cleaned_data["largest"] or 0,
            rate_multiplier=form.cleaned_data["rate_multiplier"] or Decimal(1),
        )
    return render(
        request,
        "guarantee/stress.html",
        {"form": form, "result": result, "largest": risk.largest_exposures(10)},
    )


@login_required
def invoice_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """Is this invoice covered, and why not: a fragment for the invoice page (htmx)."""
    user = acting_user(request)
    invoice = invoice_get(user=user, pk=pk)
    context = {
        "invoice": invoice,
        "eligibility": selectors.invoice_eligibility(invoice),
        "risk": risk.client_risk(invoice.client) if invoice.client is not None else None,
        "contract_form": ContractForm(initial={"signed_on": timezone.localdate()}),
        "today": timezone.localdate(),
    }
    template = "guarantee/_invoice.html" if request.htmx else "guarantee/invoice.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@staff_required
@require_POST
def contract_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    invoice = invoice_get(user=user, pk=pk)
    form = ContractForm(request.POST)
    if form.is_valid():
        try:
            services.contract_record_signed(
                invoice=invoice,
                signed_on=form.cleaned_data["signed_on"],
                reference=form.cleaned_data["reference"],
                acting_user=user,
            )
        except GuaranteeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Contract recorded: the daily job will advance the invoice if eligible.")
            )
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("guarantee:invoice", pk=invoice.pk)


@login_required
def quote_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """A fragment for the quote page: its invoices will be covered once accepted online."""
    user = acting_user(request)
    quote = quote_get(user=user, pk=pk)
    return render(
        request,
        "guarantee/_quote.html",
        {"quote": quote, "risk": risk.client_risk(quote.client)},
    )


@login_required
def draft_check(request: HttpRequest) -> HttpResponse:
    """While drafting a quote or an invoice: the client's risk and whether it would be covered."""
    user = acting_user(request)
    raw = request.GET.get("client", "")
    client = selectors.client_visible(user=user, pk=int(raw)) if raw.isdigit() else None
    from_quote = request.GET.get("quote", "") not in ("", "0")
    return render(
        request,
        "guarantee/_draft.html",
        {
            "client": client,
            "risk": risk.client_risk(client) if client else None,
            "from_quote": from_quote,
            "kind": request.GET.get("kind", "invoice"),
        },
    )


@login_required
def client_risk(request: HttpRequest, pk: int) -> HttpResponse:
    """The pooled risk of a client; staff see the full history and exclude/readmit."""
    user = acting_user(request)
    client = selectors.client_visible(user=user, pk=pk)
    context: dict[str, Any] = {
        "client": client,
        "risk": risk.client_risk(client),
        "exclusion": selectors.excluded_clients(timezone.localdate()).get(client.pk),
    }
    if user.is_staff:
        context["history"] = paginate(request, risk.client_history(user=user, client=client))
        context["exclusion_form"] = ExclusionForm(initial={"on": timezone.localdate()})
    template = "guarantee/_risk.html" if request.htmx else "guarantee/client_risk.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@staff_required
@require_POST
def client_exclusion(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    client = get_object_or_404(Client, pk=pk)
    form = ExclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("guarantee:client_risk", pk=client.pk)
    try:
        if action == "exclude":
            services.client_exclude(
                client_id=client.pk,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                acting_user=user,
            )
            messages.success(request, _("The client is excluded from the guarantee."))
        elif action == "readmit":
            services.client_readmit(
                client_id=client.pk, on=form.cleaned_data["on"], acting_user=user
            )
            messages.success(request, _("The client is covered by the guarantee again."))
        else:
            raise Http404
    except GuaranteeInputError as exc:
        messages.error(request, str(exc))
    except GuaranteeError as exc:
        messages.error(request, str(exc))
    return redirect("guarantee:client_risk", pk=client.pk)


@staff_required
def advances(request: HttpRequest) -> HttpResponse:
    """Staff: every advance, with its pay date, and the last runs of the daily job."""
    user = acting_user(request)
    from maille.guarantee.models import GuaranteeRun

    return render(
        request,
        "guarantee/advances.html",
        {
            "page": paginate(request, selectors.advance_list(user=user)),
            "losses": selectors.loss_list(user=user)[:20],
            "runs": GuaranteeRun.objects.exclude(on=job.LOCK_DATE).order_by("-on")[:10],
            "exclusions": selectors.exclusion_list(user=user)[:50],
        },
    )


@staff_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    raw = request.POST.get("date", "")
    try:
        on = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("Give a date as YYYY-MM-DD."))
        return redirect("guarantee:advances")
    try:
        result = job.guarantee_run(on=on, acting_user=user)
    except GuaranteeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Guarantee job: %(advanced)s advanced, %(settled)s settled, %(absorbed)s absorbed.")
            % result.as_json(),
        )
    return redirect("guarantee:advances")
