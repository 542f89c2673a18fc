"""Signed, expiring, revocable links to a document, for people without an account.

A link carries the document's id and its ``link_nonce``, signed with the
kind's salt and a timestamp (``django.core.signing``): a tampered link fails
the signature, an old one fails ``max_age`` (the kind's ``link_days``), and
revoking a link is drawing a new nonce, which voids every link given so far.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core import signing
from django.db import models
from django.utils.translation import gettext as _

from maille.core.audit import set_actor
from maille.documents.exceptions import LinkInvalid
from maille.documents.kinds import kind_named, kind_of


def new_nonce() -> str:
    return secrets.token_hex(16)


def link_token(document: models.Model) -> str:
    kind = kind_of(document)
    signer = signing.TimestampSigner(salt=kind.salt)
    payload = {kind.id_key: document.pk, "n": document.link_nonce}  # type: ignore[attr-defined]
    return signer.sign_object(payload, compress=True)


def revoke(document: models.Model, acting_user: Any) -> None:
    """Void every link given so far: a new nonce, saved alone (the caller holds the row lock)."""
    document.link_nonce = new_nonce()  # type: ignore[attr-defined]
    set_actor(document, acting_user)
    document.save(update_fields=["link_nonce"])


def link_path(document: models.Model) -> str:
    """The link's path on the site (``/i/<token>/``)."""
    return f"{kind_of(document).path}{link_token(document)}/"


def document_from_token(kind_name: str, token: str) -> Any:
    """The document behind a link, or ``LinkInvalid`` saying why not."""
    kind = kind_named(kind_name)
    signer = signing.TimestampSigner(salt=kind.salt)
    try:
        days = kind.link_days()
        max_age = None if days is None else dt.timedelta(days=days)
        data = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkInvalid(_("This link has expired. Ask the co-op for a new one.")) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid(_("This link is not valid.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get(kind.id_key), int):
        raise LinkInvalid(_("This link is not valid."))
    document = kind.linkable().filter(pk=data[kind.id_key]).first()
    if document is None or not document.link_nonce or data.get("n") != document.link_nonce:
        raise LinkInvalid(_("This link has been revoked. Ask the co-op for a new one."))
    return document
