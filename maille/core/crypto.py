"""Encryption at rest of personal data (SIN, bank account numbers).

Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``, through MultiFernet
so keys can rotate: the first key of ``FIELD_ENCRYPTION_KEYS`` encrypts, all
of them decrypt. In development, without keys, a key is derived from
SECRET_KEY; production refuses to start without an explicit key (Law 25:
safeguards proportionate to the sensitivity of the information).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys: list[str] = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production")
        digest = hashlib.sha256(("maille-field-key:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k.strip().encode()) for k in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: say so rather than show garbage
        raise ImproperlyConfigured("Cannot decrypt a field: wrong FIELD_ENCRYPTION_KEYS") from exc


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted; Python sees the clear value.

    It cannot be searched or ordered by the database, by design.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(str(value))


def mask(value: str, visible: int = 3, group: int = 3) -> str:
    """``130692544`` → ``••• ••• 544``: enough to recognise, not to use."""
    digits = "".join(ch for ch in value if ch.isalnum())
    if not digits:
        return ""
    shown = "•" * max(len(digits) - visible, 0) + digits[-visible:]
    if not group:
        return shown
    return " ".join(shown[i : i + group] for i in range(0, len(shown), group))
