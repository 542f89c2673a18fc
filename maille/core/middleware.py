"""Request middleware: the language of each request, two-factor for staff."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from maille.core.auth import session_passed_second_factor

# Pages a staff person without two-factor may still reach: setting it up,
# logging out, the language switch, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/")


def _refuse(request: HttpRequest, message: str, status: int, to: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"field": None, "message": message}]}, status=status)
    messages.warning(request, message)
    return redirect(to)


class StaffTwoFactorMiddleware:
    """The second factor, at every door (docs/decisions/0005).

    1. A session of an account that has a second factor must have passed it
       in this session, whichever door it came through (the allauth login, the
       admin's, a forced login): otherwise it is logged out. Checking only that
       the account *has* a second factor let a password alone through.
    2. In production staff and administrators must have one: until they set
       it up they reach only the set-up pages.

    API requests with a token are not seen here (the token is read later, by
    the API's ``TokenAuth``, which applies rule 2 itself); a browser session
    on the API is held here as on the pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/static/"):
            return self.get_response(request)
        # The session's own record is read first (no query): a session that
        # passed its second factor needs no look-up of the account's.
        if not session_passed_second_factor(request) and is_mfa_enabled(user):
            logout(request)
            login_url = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
            return _refuse(
                request, _("Log in again with your second factor."), status=401, to=login_url
            )
        if (
            settings.MAILLE_REQUIRE_STAFF_MFA
            and user.is_staff
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            return _refuse(
                request,
                _("Staff and administrators must turn on two-factor authentication."),
                status=403,
                to=reverse("mfa_activate_totp"),
            )
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


def _fits_in_memory(request: HttpRequest) -> bool:
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return length.isdigit() and (limit is None or int(length) <= limit)


class RejectNulMiddleware:
    """A NUL character in a query string or form is refused with a 400: no
    database can store it, and PostgreSQL would fail the request half-way. A
    form body that does not parse is refused here too, in the same words."""

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
            try:
                if request.path.startswith("/api/") and _fits_in_memory(request):
                    # Keep the body readable for the API's own parser after
                    # the form is read here (else reading it fails with a 500);
                    # a large upload (a bank statement) is streamed instead.
                    request.body  # noqa: B018
                fields = list(request.POST.lists())
            except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
                # A body that does not parse: the API's JSON error (or a plain
                # 400 for pages), not Django's HTML one with a traceback logged.
                return self.refuse(request, _("The request body could not be read."))
            for values in fields:
                if any("\x00" in v for v in values[1]):
                    return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, message: str | None = None) -> HttpResponse:
        message = message or _("The request contains a NUL character.")
        if request.path.startswith("/api/"):  # the API's documented error body
            return JsonResponse({"detail": [{"field": None, "message": message}]}, status=400)
        return HttpResponseBadRequest(message)
