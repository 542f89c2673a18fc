"""The salary simulator page: public, French and English, with or without JavaScript.

One view serves the page and, for htmx, only its result fragment (Django
template partials). Without JavaScript the forms are plain GET forms.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from maille.payroll.engine import load_params
from maille.payroll.forms import PERIOD_CHOICES, InvoicedForm, NetForm
from maille.payroll.selectors import employer_rates_on
from maille.payroll.simulator import (
    contribution_rate,
    percent_text,
    simulation_year,
    statutory_rates,
)


def simulator(request: HttpRequest) -> HttpResponse:
    invoiced_form = InvoicedForm(auto_id="invoiced-%s")
    net_form = NetForm(auto_id="net-%s")
    form: InvoicedForm | NetForm | None = None
    if "net" in request.GET:
        form = net_form = NetForm(request.GET, auto_id="net-%s")
    elif "invoiced" in request.GET:
        form = invoiced_form = InvoicedForm(request.GET, auto_id="invoiced-%s")
    simulation = form.simulate() if form is not None and form.is_valid() else None
    params = load_params(simulation.year if simulation else simulation_year())
    # The co-op's figures in force today, as the simulation uses them.
    today = timezone.localdate()
    employer = employer_rates_on(today)
    cnesst_rate = employer.cnesst_rate
    if cnesst_rate is None:
        cnesst_rate = params.cnesst.default_rate_per_100
    context = {
        "invoiced_form": invoiced_form,
        "net_form": net_form,
        "form": form,
        "simulation": simulation,
        "period_label": dict(PERIOD_CHOICES).get(simulation.periods_per_year)
        if simulation
        else None,
        "year": params.year,
        "rates": {
            key: percent_text(value) for key, value in statutory_rates(params, employer).items()
        },
        "contribution_percent": percent_text(contribution_rate(today) * 100),
        "cnesst_rate": cnesst_rate,
    }
    template = "payroll/simulator.html"
    htmx = request.htmx  # type: ignore[attr-defined]
    # A history restore (back button, htmx cache miss) needs the whole page.
    if htmx and not htmx.history_restore_request:
        template += "#result"
    response = render(request, template, context)
    # The same address answers a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response
