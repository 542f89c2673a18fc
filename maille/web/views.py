"""Pages that span domains: the home page of each role, the public pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.api.models import ApiToken
from maille.api.services import api_token_create
from maille.api.services import api_token_revoke as api_token_revoke_service
from maille.clients.selectors import client_list
from maille.core.models import User
from maille.members.selectors import activity_list, member_list, member_of
from maille.payroll.projections import budget_projections
from maille.web import selectors


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return redirect(static("maille/favicon.ico"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on what it works on first."""
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, object] = {}
    if user.is_staff:
        context["member_count"] = member_list(user=user).count()
        context["client_count"] = client_list(user=user).count()
        context["activity_count"] = activity_list(user=user).count()
        today = context["today"] = timezone.localdate()
        context["todo"] = selectors.staff_todo(user=user, today=today)
    elif user.is_member:
        member = context["member"] = member_of(user)
        activities = context["activities"] = list(activity_list(user=user)[:20])
        if member is not None:
            open_ = [a for a in activities if a.is_open]
            context["budgets"] = list(
                zip(open_, budget_projections(member=member, activities=open_), strict=True)
            )
        context["figures"] = selectors.member_money(user=user)
        context["overdue"] = selectors.overdue_invoices(user=user)
    elif user.is_client_contact:
        context["clients"] = client_list(user=user)
    return render(request, "web/home.html", context)


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: made here, shown once, revocable."""
    user: User = request.user  # type: ignore[assignment]
    new_token = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if name:
            _row, new_token = api_token_create(user=user, name=name)
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        else:
            messages.error(request, _("Give the token a name."))
    tokens = ApiToken.objects.filter(user=user)
    return render(request, "web/api_tokens.html", {"tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke_service(token=token, acting_user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Token revoked."))
    return redirect("web:api_tokens")
