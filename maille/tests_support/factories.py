"""factory-boy factories for tests (and nothing else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from maille.clients.models import Client, ClientContact
from maille.core.models import Role, User
from maille.members.models import Activity, Member, MemberStatus

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class UserFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@maille.test")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Personne{n}")
    role = Role.MEMBER
    language = "fr"
    password = factory.django.Password(PASSWORD)


class MemberFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"T{n:06d}")
    status = MemberStatus.ACTIVE
    street = "1234, rue Saint-Denis"
    city = "Montréal"
    province = "QC"
    postal_code = "H2J 2L1"
    employment_start = dt.date(2024, 5, 1)
    sin = "130692544"
    bank_account = "815-30001-1234567"


class ActivityFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = "Activité"
    start_date = dt.date(2026, 1, 1)

    @factory.post_generation  # type: ignore[misc]
    def owners(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.owners.set(extracted)


class ClientFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = Client

    legal_name = factory.Sequence(lambda n: f"Client {n} inc.")
    street = "100, rue Principale"
    city = "Montréal"
    province = "QC"
    postal_code = "H2X 1Y4"
    country = "CA"


class ClientContactFactory(DjangoModelFactory):  # type: ignore[misc]
    class Meta:
        model = ClientContact
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    name = "Contact"
    email = factory.Sequence(lambda n: f"contact{n}@client.test")

    @factory.post_generation  # type: ignore[misc]
    def portal(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.user = UserFactory(
                email=self.email, first_name=self.name.split()[0], role=Role.CLIENT
            )
            self.save()
