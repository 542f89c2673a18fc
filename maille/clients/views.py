"""Client directory pages. Clients are shared across the co-op (members and staff)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maille.clients import selectors, services
from maille.clients.forms import ClientContactForm, ClientForm
from maille.clients.models import Client
from maille.core.audit import audit_trail
from maille.core.http import acting_user
from maille.core.models import Province, User
from maille.core.views import paginate, render_list


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    search = request.GET.get("q", "").strip()
    province = request.GET.get("province", "")
    page = paginate(request, selectors.client_list(user=user, search=search, province=province))
    return render_list(
        request,
        "clients/client_list.html",
        {"page": page, "q": search, "province": province, "provinces": Province.choices},
    )


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    client = selectors.client_get(user=user, pk=pk)
    contacts = list(client.contacts.all())
    works_with = selectors.client_worked_with(user=user, client=client)
    context: dict[str, object] = {"client": client, "contacts": contacts, "works_with": works_with}
    if works_with:
        context["audit"] = audit_trail(client, *contacts)
        context["contact_form"] = ClientContactForm(staff=user.is_staff)
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
                before = {f: getattr(client, f) for f in services.TAX_IDENTIFIERS}
                client = services.client_update(client=client, acting_user=user, **data)
                if not user.is_staff and any(getattr(client, f) != v for f, v in before.items()):
                    messages.info(
                        request, _("Staff were told of the change to the tax identifiers.")
                    )
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
    client = selectors.client_get(user=user, pk=pk)
    if not selectors.client_worked_with(user=user, client=client):
        # Any member may use a client; correcting it is for those who work with it.
        raise Http404
    return _save_client(request, user, client)


@login_required
def client_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    client = selectors.client_get(user=user, pk=pk)
    if not selectors.client_worked_with(user=user, client=client):
        raise Http404
    form = ClientContactForm(request.POST or None, staff=user.is_staff)
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


@login_required
def client_contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    user = acting_user(request)
    client = selectors.client_get(user=user, pk=pk)
    if not selectors.client_worked_with(user=user, client=client):
        raise Http404
    contact = get_object_or_404(client.contacts.all(), pk=contact_pk)
    initial = {f: getattr(contact, f) for f in ("name", "title", "email", "phone", "language")}
    form = ClientContactForm(request.POST or None, initial=initial, staff=False)
    if not user.is_staff:
        # Contacts' emails stay hidden from members (test_hardening): a member
        # corrects the rest; staff change an address.
        del form.fields["email"]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "portal_access"}
        data.setdefault("email", contact.email)
        services.client_contact_update(contact=contact, acting_user=user, **data)
        messages.success(request, _("Contact saved."))
        return redirect("clients:detail", pk=client.pk)
    return render(
        request, "clients/contact_form.html", {"form": form, "client": client, "contact": contact}
    )
