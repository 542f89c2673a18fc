"""Writes for clients. Every check reports all the problems it finds at once."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from maille.clients.models import Client, ClientContact
from maille.core.audit import set_actor
from maille.core.models import Province, Role, User
from maille.core.services import EmailTaken, user_create
from maille.core.validators import (
    clean_gst_number,
    clean_neq,
    clean_postal_code,
    clean_qst_number,
)

CLIENT_FIELDS = (
    "legal_name",
    "kind",
    "street",
    "city",
    "province",
    "postal_code",
    "country",
    "gst_number",
    "qst_number",
    "neq",
    "language",
    "notes",
)


class DuplicateClient(Exception):
    """A likely duplicate exists; the caller must confirm to create anyway."""

    def __init__(self, duplicates: list[Client]) -> None:
        super().__init__(_("A similar client already exists."))
        self.duplicates = duplicates


def client_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check a client's fields; raise one ValidationError naming every field."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned = dict(data)
    cleaned["legal_name"] = (data.get("legal_name") or "").strip()
    if not cleaned["legal_name"]:
        errors.setdefault("legal_name", []).append(
            ValidationError(_("The client's legal name is required."), code="required")
        )
    country = (data.get("country") or "CA").strip().upper()
    cleaned["country"] = country
    if not re.fullmatch(r"[A-Z]{2}", country):
        errors.setdefault("country", []).append(
            ValidationError(_("Give the country as a two-letter ISO code (CA, FR, US…)."))
        )
    province = (data.get("province") or "").strip().upper()
    cleaned["province"] = province
    if country == "CA" and not province:
        errors.setdefault("province", []).append(
            ValidationError(
                _("A Canadian client needs a province: it decides the sales taxes."),
                code="required",
            )
        )
    elif province and province not in Province.values:
        errors.setdefault("province", []).append(ValidationError(_("Unknown province.")))
    elif country != "CA" and province:
        errors.setdefault("province", []).append(
            ValidationError(_("A province is only given for a Canadian address."))
        )
    try:
        cleaned["postal_code"] = clean_postal_code(
            data.get("postal_code") or "", province=province, country=country
        )
    except ValidationError as exc:
        errors.setdefault("postal_code", []).append(exc)
    for field, cleaner in (
        ("gst_number", clean_gst_number),
        ("qst_number", clean_qst_number),
        ("neq", clean_neq),
    ):
        value = (data.get(field) or "").strip()
        if value:
            try:
                cleaned[field] = cleaner(value)
            except ValidationError as exc:
                errors.setdefault(field, []).append(exc)
        else:
            cleaned[field] = ""
    if errors:
        raise ValidationError(errors)
    return cleaned


def client_find_duplicates(
    *, legal_name: str, postal_code: str, gst_number: str, exclude_pk: int | None = None
) -> list[Client]:
    """Same business number, or the same name at the same postal code."""
    condition = Q(legal_name__iexact=legal_name.strip(), postal_code__iexact=postal_code.strip())
    if gst_number:
        condition |= Q(gst_number__startswith=gst_number[:9])
    if not legal_name.strip() and not gst_number:
        return []
    qs = Client.objects.filter(condition)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:5])


@transaction.atomic
def client_create(*, acting_user: User, allow_duplicate: bool = False, **data: Any) -> Client:
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    cleaned = client_clean(data)
    if not acting_user.is_staff:
        cleaned.pop("notes", None)
    if not allow_duplicate:
        duplicates = client_find_duplicates(
            legal_name=cleaned["legal_name"],
            postal_code=cleaned["postal_code"],
            gst_number=cleaned["gst_number"],
        )
        if duplicates:
            raise DuplicateClient(duplicates)
    client = Client(**cleaned, created_by=acting_user)
    set_actor(client, acting_user)
    client.save()
    return client


TAX_IDENTIFIERS = ("gst_number", "qst_number", "neq", "country", "province")


@transaction.atomic
def client_update(*, client: Client, acting_user: User, **data: Any) -> Client:
    """Staff, or a member correcting a client they work with (the view checks
    which). A change of the tax identifiers or the place (they decide the
    taxes of every document) is told to staff by email, after commit."""
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    current = {f: getattr(client, f) for f in CLIENT_FIELDS}
    current.update(data)
    cleaned = client_clean(current)
    if not acting_user.is_staff:
        cleaned["notes"] = client.notes
    changed = [f for f in TAX_IDENTIFIERS if getattr(client, f) != cleaned.get(f)]
    before = {f: getattr(client, f) for f in changed}
    for name, value in cleaned.items():
        setattr(client, name, value)
    set_actor(client, acting_user)
    client.save()
    if changed and not acting_user.is_staff:
        after = {f: getattr(client, f) for f in changed}
        transaction.on_commit(
            lambda: _tell_staff_of_tax_change(
                client_id=client.pk, actor=str(acting_user), before=before, after=after
            )
        )
    return client


def _tell_staff_of_tax_change(
    *, client_id: int, actor: str, before: dict[str, str], after: dict[str, str]
) -> int:
    """Email staff that a member changed what decides a client's taxes."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    client = Client.objects.get(pk=client_id)
    recipients = list(
        User.objects.filter(role__in=[Role.STAFF, Role.ADMIN], is_active=True).values_list(
            "email", flat=True
        )
    )
    if not recipients:
        return 0
    with translation.override("fr"):
        lines = []
        for name in before:
            label = getattr(Client._meta.get_field(name), "verbose_name", name)
            lines.append(f"{label}: {before[name] or '—'} → {after[name] or '—'}")
        subject = _("Client %(name)s: tax identifiers changed by a member") % {
            "name": client.legal_name
        }
        body = "\n".join(
            [
                _("%(actor)s changed what decides this client's taxes:") % {"actor": actor},
                "",
                *lines,
                "",
                f"{settings.MAILLE_SITE_URL}/clients/{client.pk}/",
            ]
        )
    return send_mail(subject, body, None, recipients)


@transaction.atomic
def client_contact_update(
    *,
    contact: ClientContact,
    acting_user: User,
    name: str,
    email: str,
    title: str = "",
    phone: str = "",
    language: str = "fr",
) -> ClientContact:
    """Correct a contact (its portal login, if any, is staff's to manage)."""
    contact.name, contact.email = name.strip(), email.strip().lower()
    contact.title, contact.phone, contact.language = title, phone, language
    set_actor(contact, acting_user)
    contact.save()
    return contact


@transaction.atomic
def client_contact_add(
    *,
    client: Client,
    acting_user: User,
    name: str,
    email: str,
    title: str = "",
    phone: str = "",
    language: str = "fr",
    portal_access: bool = False,
    password: str | None = None,
) -> ClientContact:
    contact = ClientContact(
        client=client, name=name, email=email.lower(), title=title, phone=phone, language=language
    )
    if portal_access:
        first, _sep, last = name.partition(" ")
        try:
            user = user_create(
                email=email,
                first_name=first,
                last_name=last,
                role=Role.CLIENT,
                language=language,
                password=password,
                acting_user=acting_user,
            )
        except EmailTaken as exc:
            raise ValidationError({"email": [str(exc)]}) from exc
        contact.user = user
    set_actor(contact, acting_user)
    contact.save()
    return contact
