"""Field types shared by the API schemas of every app.

Text is refused when it contains a NUL character (PostgreSQL cannot store
it) or is longer than its column, and identifiers stay within the database's
64-bit range, so bad input gets a 422 naming the field, never a server error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, BaseModel, Field, PlainSerializer, WithJsonSchema

from maille.core.money import money_str


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


Text10 = Annotated[str, Field(max_length=10), AfterValidator(_no_nul)]
Text12 = Annotated[str, Field(max_length=12), AfterValidator(_no_nul)]
Text30 = Annotated[str, Field(max_length=30), AfterValidator(_no_nul)]
Text50 = Annotated[str, Field(max_length=50), AfterValidator(_no_nul)]
Text100 = Annotated[str, Field(max_length=100), AfterValidator(_no_nul)]
Text150 = Annotated[str, Field(max_length=150), AfterValidator(_no_nul)]
Text200 = Annotated[str, Field(max_length=200), AfterValidator(_no_nul)]
Text300 = Annotated[str, Field(max_length=300), AfterValidator(_no_nul)]
Text500 = Annotated[str, Field(max_length=500), AfterValidator(_no_nul)]
LongText = Annotated[str, Field(max_length=10_000), AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

# Money, in and out (ARCHITECTURE §7): read from a string (or a JSON number) with
# at most two decimals and the columns' 14 digits; written as a string with two
# decimals, ``"1149.75"``, debit positive and credit negative.
Money = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2),
    PlainSerializer(money_str, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "example": "1149.75"},
        mode="serialization",
    ),
]


class FieldError(BaseModel):
    field: str | None
    message: str


class ErrorOut(BaseModel):
    """Every API error: ``{"detail": [{"field": ..., "message": ...}]}``."""

    detail: list[FieldError]


class Pagination(LimitOffsetPagination):
    """limit/offset pagination bounded so that no request can overflow a query."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=2**31 - 1)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=500, **kwargs)
