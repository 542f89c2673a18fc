"""System checks that make a misconfigured production refuse to start."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def field_encryption_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    """SIN and bank accounts are encrypted at rest: production needs real keys."""
    keys = [k.strip() for k in settings.FIELD_ENCRYPTION_KEYS]
    if not keys:
        return [
            Error(
                "FIELD_ENCRYPTION_KEYS is empty: personal data cannot be encrypted.",
                hint="Set FIELD_ENCRYPTION_KEYS to one or more Fernet keys "
                "(python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())').",
                id="maille.E001",
            )
        ]
    problems = []
    for i, key in enumerate(keys):
        try:
            Fernet(key.encode())
        except ValueError:
            problems.append(
                Error(f"FIELD_ENCRYPTION_KEYS[{i}] is not a valid Fernet key.", id="maille.E002")
            )
    return problems
