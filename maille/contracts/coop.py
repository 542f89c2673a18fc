"""The co-op as the legal supplier printed on every quote and invoice (from settings)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from maille.core.validators import (
    clean_gst_number,
    clean_qst_number,
    format_gst_number,
    format_qst_number,
)


@dataclass(frozen=True, slots=True)
class Coop:
    name: str
    address: str
    province: str
    postal_code: str
    city: str
    street: str
    email: str
    phone: str
    website: str
    neq: str
    gst_number: str
    qst_number: str
    bank_account: str
    bank_name: str
    interac_email: str

    @property
    def gst_display(self) -> str:
        return format_gst_number(self.gst_number)

    @property
    def qst_display(self) -> str:
        return format_qst_number(self.qst_number)


def coop() -> Coop:
    return Coop(
        name=settings.MAILLE_COOP_NAME,
        street=settings.MAILLE_COOP_STREET,
        city=settings.MAILLE_COOP_CITY,
        province=settings.MAILLE_COOP_PROVINCE,
        postal_code=settings.MAILLE_COOP_POSTAL_CODE,
        address=(
            f"{settings.MAILLE_COOP_STREET}, {settings.MAILLE_COOP_CITY} "
            f"({settings.MAILLE_COOP_PROVINCE}) {settings.MAILLE_COOP_POSTAL_CODE}"
        ),
        email=settings.MAILLE_COOP_EMAIL,
        phone=settings.MAILLE_COOP_PHONE,
        website=settings.MAILLE_SITE_URL,
        neq=settings.MAILLE_COOP_NEQ,
        gst_number=settings.MAILLE_COOP_GST_NUMBER.replace(" ", "").upper(),
        qst_number=settings.MAILLE_COOP_QST_NUMBER.replace(" ", "").upper(),
        bank_account=settings.MAILLE_BANK_ACCOUNT,
        bank_name=settings.MAILLE_BANK_NAME,
        interac_email=settings.MAILLE_INTERAC_EMAIL,
    )


def coop_registration_problems(info: Coop | None = None) -> list[str]:
    """Every problem with the co-op's own GST and QST numbers (printed on each invoice)."""
    problems = []
    info = info or coop()
    for label, value, cleaner in (
        (_("The co-op's GST/HST number"), info.gst_number, clean_gst_number),
        (_("The co-op's QST number"), info.qst_number, clean_qst_number),
    ):
        try:
            cleaner(value)
        except ValidationError as exc:
            problems.append(f"{label}: {' '.join(exc.messages)}")
    return problems
