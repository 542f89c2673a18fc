"""Client directory pages. Clients are shared across the co-op (members and staff)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maille.clients import selectors, services
from maille.clients.forms import ClientContactForm, ClientForm
from maille.clients.models import Client
from maille.core.audit import audit_trail
from maille.core.http import acting_user
from maille.core.models import Province, User
from maille.core.views import paginate


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    search = request.GET.get("q", "").strip()
    province = request.GET.get("province", "")
    page = paginate(request, selectors.client_list(user=user, search=search, province=province))
    template = "clients/client_list.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(
        request,
        template,
        {"page": page, "q": search, "province": province, "provinces": Province.choices},
    )


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    client = selectors.client_get(user=user, pk=pk)
    contacts = list(client.contacts.all())
    context: dict[str, object] = {"client": client, "contacts": contacts}
    if user.is_staff:
        context["audit"] = audit_trail(client, *contacts)
        context["contact_form"] = ClientContactForm()
    return render(request, "clients/client_detail.html", context)


def _save_client(request: HttpRequest, user: User, client: Client | None) -> HttpResponse:
    initial = ClientForm.initial_for(client) if client else {"country": "CA", "province": "QC"}
    form = ClientForm(request.POST or None, initial=initial, staff=user.is_staff)
    duplicates: list[Client] = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
        try:
            if client is None:
                client = services.client_create(
                    acting_user=user,
                    allow_duplicate=form.cleaned_data["confirm_duplicate"],
                    **data,
                )
            else:
                client = services.client_update(client=client, acting_user=user, **data)
        except services.DuplicateClient as exc:
            duplicates = exc.duplicates
            form.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            form.add_error(
                None,
                _("A similar client already exists. Use it, or tick the box to create a new one."),
            )
        else:
            messages.success(request, _("Client saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": client, "duplicates": duplicates},
    )


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    return _save_client(request, acting_user(request), None)


@login_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if not user.is_staff:
        # Any member may use a client; changing its legal data is staff work.
        raise Http404
    return _save_client(request, user, selectors.client_get(user=user, pk=pk))


@login_required
def client_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if not user.is_staff:
        raise Http404
    client = selectors.client_get(user=user, pk=pk)
    form = ClientContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_contact_add(client=client, acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Contact added."))
    elif request.method == "POST":
        messages.error(request, _("The contact was not added: check the form."))
    return redirect("clients:detail", pk=client.pk)
