"""Test personas reused by every app's tests.

- ``camille``: a member (active), owner of ``camille_activity``;
- ``jerome``: a second member, owner of ``jerome_activity``;
- ``sylvie``: staff (conseillère);
- ``anne``: admin;
- ``nathalie``: a client contact of ``client_qc`` with a portal login.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from maille.clients.models import Client as ClientRecord
from maille.core.models import Role, User
from maille.members.models import Activity, Member
from maille.tests_support import factories
from maille.tests_support.factories import PASSWORD

__all__ = ["PASSWORD", "login"]


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits (allauth) live in the cache, which the database rollback misses."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the co-op's default language (French), whatever the
    test before it on the same worker activated; with tests spread over
    workers (pytest -n), the order changes from run to run."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def anne(db: None) -> User:
    return factories.UserFactory(email="anne@maille.test", first_name="Anne", role=Role.ADMIN)


@pytest.fixture
def sylvie(db: None) -> User:
    return factories.UserFactory(email="sylvie@maille.test", first_name="Sylvie", role=Role.STAFF)


@pytest.fixture
def camille(db: None) -> Member:
    return factories.MemberFactory(
        user__email="camille@maille.test", user__first_name="Camille", user__last_name="Tremblay"
    )


@pytest.fixture
def jerome(db: None) -> Member:
    return factories.MemberFactory(
        user__email="jerome@maille.test", user__first_name="Jérôme", user__last_name="Gagnon"
    )


@pytest.fixture
def camille_activity(camille: Member) -> Activity:
    return factories.ActivityFactory(
        name="Illustration", owners=[camille], start_date=dt.date(2026, 1, 1)
    )


@pytest.fixture
def jerome_activity(jerome: Member) -> Activity:
    return factories.ActivityFactory(
        name="Traduction", owners=[jerome], start_date=dt.date(2026, 1, 1)
    )


@pytest.fixture
def client_qc(db: None) -> ClientRecord:
    return factories.ClientFactory(
        legal_name="Éditions du Fleuve inc.", province="QC", postal_code="H2T 1S4"
    )


@pytest.fixture
def nathalie(client_qc: ClientRecord) -> User:
    contact = factories.ClientContactFactory(
        client=client_qc, name="Nathalie Roy", email="nathalie@fleuve.test", portal=True
    )
    assert contact.user is not None
    return contact.user


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_camille(camille: Member) -> Client:
    return login(camille.user)


@pytest.fixture
def as_jerome(jerome: Member) -> Client:
    return login(jerome.user)


@pytest.fixture
def as_sylvie(sylvie: User) -> Client:
    return login(sylvie)


@pytest.fixture
def as_anne(anne: User) -> Client:
    return login(anne)


@pytest.fixture
def as_nathalie(nathalie: User) -> Client:
    return login(nathalie)
