"""The test personas, as plain functions: ``maille/conftest.py`` makes a
fixture of each, and a world built once for a whole module (the permission
matrix) calls them directly."""

from __future__ import annotations

import datetime as dt

from maille.clients.models import Client as ClientRecord
from maille.core.models import Role, User
from maille.members.models import Activity, Member
from maille.tests_support import factories


def anne() -> User:
    return factories.UserFactory(email="anne@maille.test", first_name="Anne", role=Role.ADMIN)


def sylvie() -> User:
    return factories.UserFactory(email="sylvie@maille.test", first_name="Sylvie", role=Role.STAFF)


def camille() -> Member:
    return factories.MemberFactory(
        user__email="camille@maille.test", user__first_name="Camille", user__last_name="Tremblay"
    )


def jerome() -> Member:
    return factories.MemberFactory(
        user__email="jerome@maille.test", user__first_name="Jérôme", user__last_name="Gagnon"
    )


def camille_activity(camille: Member) -> Activity:
    return factories.ActivityFactory(
        name="Illustration", owners=[camille], start_date=dt.date(2026, 1, 1)
    )


def jerome_activity(jerome: Member) -> Activity:
    return factories.ActivityFactory(
        name="Traduction", owners=[jerome], start_date=dt.date(2026, 1, 1)
    )


def client_qc() -> ClientRecord:
    return factories.ClientFactory(
        legal_name="Éditions du Fleuve inc.", province="QC", postal_code="H2T 1S4"
    )


def nathalie(client_qc: ClientRecord) -> User:
    contact = factories.ClientContactFactory(
        client=client_qc, name="Nathalie Roy", email="nathalie@fleuve.test", portal=True
    )
    assert contact.user is not None
    return contact.user
