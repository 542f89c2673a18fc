"""The REST API, ``/api/v1``: OpenAPI 3.1 at ``/api/v1/openapi.json``.

Each domain app declares its router in its own ``api.py``; this module only
assembles them with authentication and the error format.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from maille.api import errors
from maille.api.auth import SessionAuth, TokenAuth
from maille.clients.api import router as clients_router
from maille.collection.api import router as collection_router
from maille.contracts.api import router as contracts_router
from maille.core.db import ConcurrentChange, is_lock_conflict
from maille.core.exceptions import DomainError
from maille.coworking.api import router as coworking_router
from maille.expenses.api import router as expenses_router
from maille.governance.api import router as governance_router
from maille.guarantee.api import router as guarantee_router
from maille.invoicing.api import router as invoicing_router
from maille.ledger.api import router as ledger_router
from maille.members.api import router as members_router
from maille.payments.api import router as payments_router
from maille.payroll.api import router as payroll_router


class MailleAPI(NinjaAPI):
    """Documents, on every operation, the errors any of them can answer."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"$ref": "#/components/schemas/ErrorOut"}
        described = {
            "400": "Malformed request body",
            "401": "Authentication required",
            "403": "Not allowed",
            "404": "Not found, or not yours",
            "422": "Invalid input: each problem names its field",
        }
        # Any write may conflict with the state of things (a domain refusal
        # whose class declares 409: already voted, already sent, just taken).
        conflict = {"409": "Conflicts with the current state: the message says why"}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                errors = described if method == "get" else {**described, **conflict}
                for code, description in errors.items():
                    responses.setdefault(
                        code,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": error}},
                        },
                    )
        return schema


api = MailleAPI(
    title="Maille API",
    version="1",
    description=(
        "The co-op's REST API. Authenticate with a personal token "
        "(`Authorization: Bearer mt_…`, made on your profile page). Money is a string with "
        "two decimals; dates are ISO 8601 (America/Montreal). Errors: "
        '`{"detail": [{"field": …, "message": …}]}` in the caller\'s language.'
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    # Swagger UI from the app's own static files (ninja's, "ninja" is an
    # installed app): the CSP allows no CDN, and servers may have no internet.
    # Swagger UI writes style attributes, so its page alone allows inline styles.
    docs_decorator=csp_override(
        {**settings.SECURE_CSP, "style-src": ["'self'", "'unsafe-inline'"]}
    ),
)
api.add_router("/", members_router)
api.add_router("/clients", clients_router)
api.add_router("/quotes", contracts_router)
api.add_router("/", invoicing_router)
api.add_router("/ledger", ledger_router)
api.add_router("/payroll", payroll_router)
api.add_router("/guarantee", guarantee_router)
api.add_router("/", payments_router)
api.add_router("/", expenses_router)
api.add_router("/", governance_router)
api.add_router("/coworking", coworking_router)
api.add_router("/", collection_router)


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, errors.from_ninja(exc.errors), status=422)


@api.exception_handler(DjangoValidationError)
def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, errors.from_django(exc), status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, errors.error_body(_("Not found.")), status=404)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, errors.error_body(_("You may not do this.")), status=403)


@api.exception_handler(PermissionError)
def _service_denied(request: HttpRequest, exc: PermissionError) -> HttpResponse:
    # A service refusing the acting user (not theirs to do) says so the same way.
    return _denied(request, PermissionDenied())


@api.exception_handler(DomainError)
def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every domain refusal, by the status its exception class declares (409 or 422)."""
    return api.create_response(request, errors.error_body(str(exc)), status=exc.http_status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        errors.error_body(_("Authentication required: send a valid API token.")),
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc.message)
    if exc.status_code == 400:  # ninja's only 400: a body that does not parse
        message = _("The request body is not valid JSON.")
    elif exc.status_code == 403 and message.startswith("CSRF"):  # a session without its token
        message = _("The CSRF check failed: reload the page and try again.")
    return api.create_response(request, errors.error_body(message), status=exc.status_code)


@api.exception_handler(OperationalError)
def _lost_race(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """A lost lock race (deadlock) is a conflict for the caller, not a server error."""
    if not is_lock_conflict(exc):
        raise exc
    return _refused(request, ConcurrentChange())


urlpatterns = [path("", api.urls)]
