"""API for the client directory, scoped like the pages."""

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from maille.clients import selectors, services
from maille.clients.models import Client
from maille.core.http import acting_user
from maille.core.schemas import ErrorOut, Id, LongText, Pagination, Text12, Text30, Text100, Text200

router = Router(tags=["clients"])

Province = Literal["QC", "ON", "NB", "NS", "PE", "NL", "MB", "SK", "AB", "BC", "YT", "NT", "NU", ""]


class ClientOut(Schema):
    id: int
    legal_name: str
    kind: str
    street: str
    city: str
    province: str
    postal_code: str
    country: str
    gst_number: str
    qst_number: str
    neq: str
    language: str
    notes: str | None

    @staticmethod
    def resolve_notes(obj: Client, context: dict[str, object]) -> str | None:
        request = context["request"]
        return obj.notes if request.auth.is_staff else None  # type: ignore[attr-defined]


class ClientIn(Schema):
    legal_name: Text200
    kind: Literal["business", "public", "individual"] = "business"
    street: Text200 = ""
    city: Text100 = ""
    province: Province = ""
    postal_code: Text12 = ""
    country: Text30 = "CA"
    gst_number: Text30 = ""
    qst_number: Text30 = ""
    neq: Text30 = ""
    language: Literal["fr", "en"] = "fr"
    notes: LongText = ""
    allow_duplicate: bool = False


class ClientPatch(Schema):
    legal_name: Text200 | None = None
    kind: Literal["business", "public", "individual"] | None = None
    street: Text200 | None = None
    city: Text100 | None = None
    province: Province | None = None
    postal_code: Text12 | None = None
    country: Text30 | None = None
    gst_number: Text30 | None = None
    qst_number: Text30 | None = None
    neq: Text30 | None = None
    language: Literal["fr", "en"] | None = None
    notes: LongText | None = None


class DuplicateOut(Schema):
    detail: list[dict[str, str | None]]
    duplicates: list[int]


@router.get("", response=list[ClientOut], summary="The co-op's clients")
@paginate(Pagination)
def clients_list(
    request: HttpRequest, q: Text100 = "", province: Province = ""
) -> QuerySet[Client]:
    return selectors.client_list(user=acting_user(request), search=q, province=province)


@router.get("/{client_id}", response={200: ClientOut, 404: ErrorOut})
def clients_get(request: HttpRequest, client_id: Id) -> Client:
    return selectors.client_get(user=acting_user(request), pk=client_id)


@router.post(
    "",
    response={201: ClientOut, 404: ErrorOut, 409: DuplicateOut, 422: ErrorOut},
    summary="Add a client (a likely duplicate answers 409 unless allow_duplicate)",
)
def clients_create(request: HttpRequest, payload: ClientIn) -> tuple[int, object]:
    user = acting_user(request)
    data = payload.dict()
    allow_duplicate = data.pop("allow_duplicate")
    try:
        client = services.client_create(acting_user=user, allow_duplicate=allow_duplicate, **data)
    except services.DuplicateClient as exc:
        return 409, {
            "detail": [{"field": None, "message": str(exc)}],
            "duplicates": [c.pk for c in exc.duplicates],
        }
    return 201, client


@router.patch(
    "/{client_id}",
    response={200: ClientOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a client (staff)",
)
def clients_patch(request: HttpRequest, client_id: Id, payload: ClientPatch) -> tuple[int, object]:
    user = acting_user(request)
    client = selectors.client_get(user=user, pk=client_id)
    if not user.is_staff:
        return 403, {"detail": [{"field": None, "message": _("Only staff change a client.")}]}
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return 200, services.client_update(client=client, acting_user=user, **data)
