"""Staff's coworking pages: the day (who is in, guests to invoice), sites and
resources with their dated prices and rules and their calendar feeds, equipment
loans; and occupancy and revenue, for staff and the board.

Staff only (others get 404), except occupancy, which directors see too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.core.exceptions import DomainError
from maille.core.http import acting_user
from maille.core.views import staff_required
from maille.coworking import selectors, services, terms
from maille.coworking.forms import (
    LoanInForm,
    LoanOutForm,
    PriceForm,
    ResourceForm,
    RuleForm,
    SiteForm,
    add_refusal,
    day_param,
)
from maille.coworking.models import Booking, Loan, Price, Resource, Rule, Site
from maille.documents.links import link_path


@staff_required
def staff_day(request: HttpRequest) -> HttpResponse:
    """Staff's day: who is in, equipment out and overdue, guests to invoice."""
    day = day_param(request.GET.get("date"), timezone.localdate())
    return render(
        request,
        "coworking/staff_day.html",
        {
            "view": selectors.day_view(day),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )


@staff_required
@require_POST
def guest_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=pk, activity__isnull=True)
    try:
        done = services.guest_booking_invoice(booking=booking, acting_user=request.user)  # type: ignore[arg-type]
    except (DomainError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Invoice %(n)s issued and sent to %(email)s.")
            % {"n": done.invoice.number if done.invoice else "", "email": done.guest_email},
        )
    return redirect("coworking:staff_day")


def _save_form(
    request: HttpRequest, form: Any, save: Any, done: str, message: str
) -> HttpResponse | None:
    """Save a staff form through its service; ``None`` when the page shows it again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.save(commit=False), acting_user(request))
    except ValidationError as exc:
        add_refusal(form, exc)
        return None
    messages.success(request, message % {"name": str(saved)})
    return redirect(done)


def _site_saved(request: HttpRequest, form: SiteForm) -> HttpResponse | None:
    """A new site or a change to one, saved through its service, back to the sites."""
    return _save_form(
        request,
        form,
        lambda site, user: services.site_save(site=site, acting_user=user),
        "coworking:staff_sites",
        _("Site %(name)s saved."),
    )


@staff_required
def staff_sites(request: HttpRequest) -> HttpResponse:
    """Staff: the sites, their address and opening hours; add one."""
    form = SiteForm(request.POST or None)
    saved = _site_saved(request, form)
    if saved is not None:
        return saved
    return render(
        request,
        "coworking/staff_sites.html",
        {"sites": Site.objects.order_by("name"), "form": form},
    )


@staff_required
def staff_site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: change a site's address, opening hours and days."""
    site = get_object_or_404(Site, pk=pk)
    form = SiteForm(request.POST or None, instance=site)
    saved = _site_saved(request, form)
    return saved or render(
        request,
        "coworking/staff_form.html",
        {"form": form, "title": site.name, "back": "coworking:staff_sites"},
    )


@staff_required
def staff_resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Staff: add or change a desk, a room or an equipment item."""
    resource = get_object_or_404(Resource, pk=pk) if pk is not None else None
    form = ResourceForm(request.POST or None, instance=resource)
    saved = _save_form(
        request,
        form,
        lambda item, user: services.resource_save(resource=item, acting_user=user),
        "coworking:staff_resources",
        _("Resource %(name)s saved."),
    )
    return saved or render(
        request,
        "coworking/staff_form.html",
        {
            "form": form,
            "title": resource.name if resource else _("New resource"),
            "back": "coworking:staff_resources",
        },
    )


@staff_required
def staff_resources(request: HttpRequest) -> HttpResponse:
    """Resources with their prices and rules in force; a new dated price or rule."""
    today = timezone.localdate()
    # Every resource, inactive ones too (staff turn them back on from here).
    resources = list(
        Resource.objects.select_related("site")
        .prefetch_related("prices", "rules")
        .order_by("site__name", "kind", "name")
    )
    chosen = None
    price_form: PriceForm | None = None
    rule_form: RuleForm | None = None
    if request.method == "POST":
        chosen = next((r for r in resources if str(r.pk) == request.POST.get("resource")), None)
        if chosen is None:
            raise Http404
        if request.POST.get("what") == "price":
            price_form = PriceForm(request.POST, instance=Price(resource=chosen))
            if price_form.is_valid():
                if chosen.prices.filter(valid_from=price_form.cleaned_data["valid_from"]).exists():
                    price_form.add_error("valid_from", _("A price already starts on this day."))
                else:
                    price_form.save()
                    messages.success(request, _("New price saved for %(r)s.") % {"r": chosen.name})
                    return redirect("coworking:staff_resources")
        else:
            rule_form = RuleForm(request.POST, instance=Rule(resource=chosen))
            if rule_form.is_valid():
                if chosen.rules.filter(valid_from=rule_form.cleaned_data["valid_from"]).exists():
                    rule_form.add_error("valid_from", _("A rule already starts on this day."))
                else:
                    rule_form.save()
                    messages.success(request, _("New rule saved for %(r)s.") % {"r": chosen.name})
                    return redirect("coworking:staff_resources")
    rows = [
        (
            r,
            terms.in_force(list(r.prices.all()), today),
            terms.in_force(list(r.rules.all()), today),
            services.feed_of(resource=r),
        )
        for r in resources
    ]
    return render(
        request,
        "coworking/staff_resources.html",
        {
            "rows": [(r, p, ru, request.build_absolute_uri(link_path(f))) for r, p, ru, f in rows],
            "price_form": price_form or PriceForm(initial={"valid_from": today}),
            "rule_form": rule_form or RuleForm(initial={"valid_from": today}),
            "chosen": chosen,
            "resources": resources,
        },
    )


@staff_required
@require_POST
def staff_feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: a resource's calendar address leaked; every URL given so far stops,
    the page shows the new one."""
    resource = get_object_or_404(Resource, pk=pk)
    services.feed_revoke(feed=services.feed_of(resource=resource), acting_user=acting_user(request))
    messages.success(
        request,
        _("The old calendar address of %(r)s no longer works; the new one is below.")
        % {"r": resource.name},
    )
    return redirect("coworking:staff_resources")


@staff_required
def loans(request: HttpRequest) -> HttpResponse:
    """Check equipment out; the items out, the overdue first."""
    form = LoanOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.loan_check_out(
                resource=data["resource"],
                member=data["member"],
                due_at=terms.local_instant(data["due_date"], data["due_time"], field=_("at")),
                condition=data["condition"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except (DomainError, ValidationError) as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, _("Checked out."))
            return redirect("coworking:loans")
    out = Loan.objects.filter(checked_in_at__isnull=True).select_related(
        "resource__site", "member__user"
    )
    returned = Loan.objects.filter(checked_in_at__isnull=False).select_related(
        "resource", "member__user"
    )[:20]
    return render(
        request,
        "coworking/loans.html",
        {
            "form": form,
            "out": out.order_by("due_at"),
            "returned": returned,
            "now": timezone.now(),
            "in_form": LoanInForm(),
        },
    )


@staff_required
@require_POST
def loan_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    loan = get_object_or_404(Loan, pk=pk)
    form = LoanInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Note the item's condition."))
        return redirect("coworking:loans")
    try:
        services.loan_check_in(
            loan=loan,
            condition=form.cleaned_data["condition"],
            acting_user=request.user,  # type: ignore[arg-type]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Checked in."))
    return redirect("coworking:loans")


@login_required
def occupancy(request: HttpRequest) -> HttpResponse:
    """Occupancy per resource per week or month, and revenue per site: staff and the board."""
    user = acting_user(request)
    if not selectors.can_see_reports(user):
        raise Http404
    by = "month" if request.GET.get("by") == "month" else "week"
    today = timezone.localdate()
    periods = selectors.months_back(today, 6) if by == "month" else selectors.weeks_back(today, 8)
    site_id = request.GET.get("site")
    site = Site.objects.filter(pk=site_id).first() if site_id and site_id.isdigit() else None
    found = selectors.occupancy(periods=periods, site_id=site.pk if site else None)
    return render(
        request,
        "coworking/occupancy.html",
        {"by": by, "data": found, "site": site, "sites": selectors.site_list()},
    )
