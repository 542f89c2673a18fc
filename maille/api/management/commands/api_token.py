"""``maille api_token EMAIL NAME``: make a personal API token and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maille.api.services import api_token_create
from maille.core.models import User


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is not stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email {options['email']}")
        _row, token = api_token_create(user=user, name=options["name"])
        self.stdout.write(token)
