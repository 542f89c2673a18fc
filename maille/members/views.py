"""Pages for members and activities: fetch scoped, validate, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from maille.core.audit import audit_trail
from maille.core.http import acting_user
from maille.core.models import User
from maille.core.views import paginate, render_list, staff_required
from maille.members import selectors, services
from maille.members.exceptions import MembersError
from maille.members.forms import (
    ActivityCloseForm,
    ActivityForm,
    MemberAdmitForm,
    MemberProfileForm,
    MemberStatusForm,
)
from maille.members.models import ActivityStatus, Member, MemberStatus


@staff_required
def member_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = paginate(
        request,
        selectors.member_list(
            user=acting_user(request, staff_or_member=False), search=search, status=status
        ),
    )
    return render_list(
        request,
        "members/member_list.html",
        {"page": page, "q": search, "status": status, "statuses": MemberStatus.choices},
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    member = selectors.member_of(acting_user(request, staff_or_member=False))
    if member is None:
        raise Http404
    return redirect("members:detail", pk=member.pk)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    member = selectors.member_get(user=user, pk=pk)
    context: dict[str, object] = {
        "member": member,
        "activities": selectors.activity_list(user=user, member_id=member.pk),
        "status_changes": member.status_changes.select_related("changed_by")[:20],
    }
    if user.is_staff:
        context["audit"] = audit_trail(member, member.user)
        context["status_form"] = MemberStatusForm()
    return render(request, "members/member_detail.html", context)


@sensitive_post_parameters("sin", "bank_account")
@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    member = selectors.member_get(user=user, pk=pk)
    form = MemberProfileForm(request.POST or None, initial=MemberProfileForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for secret in ("sin", "bank_account"):
            if not data[secret]:
                data.pop(secret)  # empty means "keep what is on file"
        services.member_update(member=member, acting_user=user, **data)
        messages.success(request, _("Profile saved."))
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@sensitive_post_parameters("sin", "bank_account")
@staff_required
def member_admit(request: HttpRequest) -> HttpResponse:
    form = MemberAdmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = services.member_create(
                acting_user=acting_user(request, staff_or_member=False), **data
            )
        except MembersError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("Member file opened."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@staff_required
def member_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=acting_user(request, staff_or_member=False), pk=pk)
    form = MemberStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_status(
                member=member,
                acting_user=acting_user(request, staff_or_member=False),
                **form.cleaned_data,
            )
        except MembersError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Status changed."))
    elif request.method == "POST":
        messages.error(request, _("The status was not changed: check the form."))
    return redirect("members:detail", pk=member.pk)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    if not (user.is_staff or user.is_member):
        raise Http404
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = paginate(request, selectors.activity_list(user=user, search=search, status=status))
    return render_list(
        request,
        "members/activity_list.html",
        {"page": page, "q": search, "status": status, "statuses": ActivityStatus.choices},
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    activity = selectors.activity_get(user=user, pk=pk)
    context: dict[str, object] = {
        "activity": activity,
        "close_form": ActivityCloseForm(initial={"end_date": timezone.localdate()}),
    }
    if user.is_staff:
        context["audit"] = audit_trail(activity)
    return render(request, "members/activity_detail.html", context)


def _owner_choices(user: User) -> object:
    return (
        Member.objects.select_related("user").exclude(status=MemberStatus.WITHDRAWN)
        if user.is_staff
        else None
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    member = selectors.member_of(user)
    if member is None and not user.is_staff:
        raise Http404
    form = ActivityForm(request.POST or None, owner_choices=_owner_choices(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owners = list(data.pop("owners", None) or ([member] if member else []))
        try:
            activity = services.activity_create(owners=owners, acting_user=user, **data)
        except (MembersError, ValidationError) as exc:
            form.add_error(None, str(exc.message if isinstance(exc, ValidationError) else exc))
        else:
            messages.success(request, _("Activity opened."))
            return redirect("members:activity_detail", pk=activity.pk)
    return render(request, "members/activity_form.html", {"form": form, "activity": None})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    activity = selectors.activity_get(user=user, pk=pk)
    initial = {
        "name": activity.name,
        "description": activity.description,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "owners": list(activity.owners.all()),
    }
    form = ActivityForm(request.POST or None, initial=initial, owner_choices=_owner_choices(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owners = data.pop("owners", None)
        try:
            services.activity_update(
                activity=activity,
                acting_user=user,
                owners=list(owners) if owners is not None else None,
                **data,
            )
        except MembersError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Activity saved."))
            return redirect("members:activity_detail", pk=activity.pk)
    return render(request, "members/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    """An owner or staff close an activity (its records stay)."""
    user = acting_user(request, staff_or_member=False)
    activity = selectors.activity_get(user=user, pk=pk)
    form = ActivityCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            services.activity_close(
                activity=activity, acting_user=user, end_date=form.cleaned_data["end_date"]
            )
        except MembersError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Activity closed."))
    return redirect("members:activity_detail", pk=activity.pk)
