"""API for one's own profile, members (staff) and activities, scoped like the pages."""

import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from maille.core.http import acting_user
from maille.core.models import User
from maille.core.schemas import (
    ErrorOut,
    Id,
    LongText,
    Pagination,
    Text10,
    Text30,
    Text100,
    Text150,
    Text200,
)
from maille.members import selectors, services
from maille.members.models import Activity, Member

router = Router(tags=["members"])

ProvinceCode = Literal[
    "QC", "ON", "NB", "NS", "PE", "NL", "MB", "SK", "AB", "BC", "YT", "NT", "NU", ""
]


class MemberOut(Schema):
    id: int
    number: str
    email: str = Field(alias="user.email")
    first_name: str = Field(alias="user.first_name")
    last_name: str = Field(alias="user.last_name")
    language: str = Field(alias="user.language")
    status: str
    phone: str
    street: str
    city: str
    province: str
    postal_code: str
    country: str
    employment_start: dt.date | None
    sin_masked: str
    bank_account_masked: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    language: str
    member: MemberOut | None

    @staticmethod
    def resolve_member(obj: User) -> Member | None:
        return selectors.member_of(obj)


class MePatch(Schema):
    first_name: Text150 | None = None
    last_name: Text150 | None = None
    language: Literal["fr", "en"] | None = None
    phone: Text30 | None = None
    street: Text200 | None = None
    city: Text100 | None = None
    province: ProvinceCode | None = None
    postal_code: Text10 | None = None


@router.get("/me", response=MeOut, summary="My profile")
def me_get(request: HttpRequest) -> User:
    return acting_user(request, staff_or_member=False)


@router.patch("/me", response={200: MeOut, 422: ErrorOut}, summary="Change my profile")
def me_patch(request: HttpRequest, payload: MePatch) -> User:
    user = acting_user(request, staff_or_member=False)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    member = selectors.member_of(user)
    names = {k: data.pop(k) for k in ("first_name", "last_name", "language") if k in data}
    if member is not None:
        services.member_update(member=member, acting_user=user, **names, **data)
    else:
        if data:
            raise HttpError(422, _("Only members have an address on file."))
        for key, value in names.items():
            setattr(user, key, value)
        user.save(update_fields=list(names) or None)
    user.refresh_from_db()
    return user


@router.get("/members", response=list[MemberOut], summary="Members (staff: all; member: self)")
@paginate(Pagination)
def members_list(
    request: HttpRequest,
    q: Text100 = "",
    status: Literal["", "applicant", "active", "suspended", "withdrawn"] = "",
) -> QuerySet[Member]:
    return selectors.member_list(
        user=acting_user(request, staff_or_member=False), search=q, status=status
    )


@router.get("/members/{member_id}", response={200: MemberOut, 404: ErrorOut})
def members_get(request: HttpRequest, member_id: Id) -> Member:
    return selectors.member_get(user=acting_user(request, staff_or_member=False), pk=member_id)


class OwnerOut(Schema):
    id: int
    number: str
    name: str


class ActivityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    status: str
    description: str
    start_date: dt.date
    end_date: dt.date | None
    owners: list[OwnerOut]

    @staticmethod
    def resolve_owners(obj: Activity) -> list[OwnerOut]:
        return [OwnerOut(id=m.pk, number=m.number, name=m.full_name) for m in obj.owners.all()]


class ActivityIn(Schema):
    name: Text200
    description: LongText = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    owner_ids: list[Id] | None = None

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")
        if value and start and value < start:
            raise PydanticCustomError("end_before_start", "end date before start date")
        return value


class ActivityCloseIn(Schema):
    end_date: dt.date


class ActivityPatch(Schema):
    name: Text200 | None = None
    description: LongText | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    owner_ids: list[Id] | None = None


@router.get("/activities", response=list[ActivityOut], summary="My activities (staff: all)")
@paginate(Pagination)
def activities_list(
    request: HttpRequest, q: Text100 = "", status: Literal["", "open", "closed"] = ""
) -> QuerySet[Activity]:
    return selectors.activity_list(
        user=acting_user(request, staff_or_member=False), search=q, status=status
    )


@router.get("/activities/{activity_id}", response={200: ActivityOut, 404: ErrorOut})
def activities_get(request: HttpRequest, activity_id: Id) -> Activity:
    return selectors.activity_get(user=acting_user(request, staff_or_member=False), pk=activity_id)


def _owners(user: User, owner_ids: list[int] | None) -> list[Member] | None:
    if owner_ids is None:
        return None
    if not user.is_staff:
        raise HttpError(403, _("Only staff choose the owners of an activity."))
    owners = list(Member.objects.filter(pk__in=owner_ids))
    if len(owners) != len(set(owner_ids)):
        raise HttpError(422, _("Unknown member in owner_ids."))
    return owners


@router.post(
    "/activities",
    response={201: ActivityOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Open an activity",
)
def activities_create(request: HttpRequest, payload: ActivityIn) -> tuple[int, Activity]:
    user = acting_user(request, staff_or_member=False)
    owners = _owners(user, payload.owner_ids)
    if owners is None:
        member = selectors.member_of(user)
        if member is None:
            raise Http404
        owners = [member]
    activity = services.activity_create(
        name=payload.name,
        description=payload.description,
        start_date=payload.start_date,
        end_date=payload.end_date,
        owners=owners,
        acting_user=user,
    )
    return 201, activity


@router.patch(
    "/activities/{activity_id}",
    response={200: ActivityOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def activities_patch(request: HttpRequest, activity_id: Id, payload: ActivityPatch) -> Activity:
    user = acting_user(request, staff_or_member=False)
    activity = selectors.activity_get(user=user, pk=activity_id)
    data = payload.dict(exclude_unset=True)
    owners = _owners(user, data.pop("owner_ids", None))
    data = {k: v for k, v in data.items() if v is not None or k == "end_date"}
    services.activity_update(activity=activity, acting_user=user, owners=owners, **data)
    return selectors.activity_get(user=user, pk=activity_id)


@router.post(
    "/activities/{activity_id}/close",
    response={200: ActivityOut, 404: ErrorOut, 422: ErrorOut},
    summary="Close an activity (owner or staff)",
)
def activities_close(request: HttpRequest, activity_id: Id, payload: ActivityCloseIn) -> Activity:
    user = acting_user(request, staff_or_member=False)
    activity = selectors.activity_get(user=user, pk=activity_id)
    services.activity_close(activity=activity, acting_user=user, end_date=payload.end_date)
    return selectors.activity_get(user=user, pk=activity_id)
