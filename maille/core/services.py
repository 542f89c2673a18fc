"""Writes for the people who log in."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from maille.core.audit import set_actor
from maille.core.models import User


class EmailTaken(Exception):
    """Another person already logs in with this email address."""

    def __init__(self) -> None:
        super().__init__(_("A person with this email address already exists."))


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str,
    acting_user: User | None,
    password: str | None = None,
) -> User:
    """A login for a new member or client contact (no password: they set one
    through the reset link). Two people created at once with the same email
    get a clear refusal, not a server error."""
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken
    user = User(
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        role=role,
        language=language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    set_actor(user, acting_user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise EmailTaken from exc
    return user
