from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from maille.api.models import ApiToken, token_digest, token_generate
from maille.core.models import User


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token; the clear token is returned once and never stored."""
    token = token_generate()
    row = ApiToken.objects.create(user=user, name=name, digest=token_digest(token), hint=token[-6:])
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User) -> None:
    if token.user_id != acting_user.pk and not acting_user.is_staff:
        raise PermissionError
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_user(token: str) -> User | None:
    """The active user behind a token, or None; records the use (at most once a minute)."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
