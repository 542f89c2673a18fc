"""Small helpers shared by the domain views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff-only pages answer 404 to others: they do not reveal they exist."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def paginate(request: HttpRequest, qs: QuerySet[Any], per_page: int = 50) -> Page[Any]:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def render_list(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A list page; an htmx request (a filter typed, a page turned) gets its results only."""
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)
