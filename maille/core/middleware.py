"""Request middleware: the language of each request, two-factor for staff."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

# Pages a staff person without two-factor may still reach: setting it up,
# logging out, the language switch, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MAILLE_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            # Token requests are not seen here (the token is read later, by the
            # API); a browser session of staff without two-factor is held on
            # the API as on the pages.
            if request.path.startswith("/api/"):
                message = _("Staff and administrators must turn on two-factor authentication.")
                return JsonResponse({"detail": [{"field": None, "message": message}]}, status=403)
            messages.warning(
                request, _("Staff and administrators must turn on two-factor authentication.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class LanguageMiddleware:
    """French first (Charter of the French language): the language of a page is
    the one the person chose (language cookie, set by the switch), else their
    profile's preferred language, else French. The API also honours the
    caller's Accept-Language header. A browser's Accept-Language alone does not
    switch the pages to English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _choose(request: HttpRequest) -> str:
        supported = {code for code, _name in settings.LANGUAGES}
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")[:2]
        if cookie in supported:
            return cookie
        if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
            header = translation.get_language_from_request(request)[:2]
            if header in supported:
                return header
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in supported:
            return str(user.language)
        return str(settings.LANGUAGE_CODE)


class RejectNulMiddleware:
    """A NUL character in a query string or form is refused with a 400: no
    database can store it, and PostgreSQL would fail the request half-way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            return self.refuse(request)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for values in request.POST.lists():
                if any("\x00" in v for v in values[1]):
                    return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        message = _("The request contains a NUL character.")
        if request.path.startswith("/api/"):  # the API's documented error body
            return JsonResponse({"detail": [{"field": None, "message": message}]}, status=400)
        return HttpResponseBadRequest(message)
