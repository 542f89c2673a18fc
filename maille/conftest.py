"""Test personas reused by every app's tests.

- ``camille``: a member (active), owner of ``camille_activity``;
- ``jerome``: a second member, owner of ``jerome_activity``;
- ``sylvie``: staff (conseillère);
- ``anne``: admin;
- ``nathalie``: a client contact of ``client_qc`` with a portal login.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from maille.clients.models import Client as ClientRecord
from maille.core.models import User
from maille.members.models import Activity, Member
from maille.tests_support import personas
from maille.tests_support.factories import PASSWORD

__all__ = ["PASSWORD", "REAL_PASSWORD_HASHERS", "login"]

# Argon2, the co-op's hasher, costs about 0.2 s a password by design; the
# suite creates thousands of users and logs many of them in. Tests hash with
# MD5 instead (Django's advice for test speed); test_roles checks that the real
# setting, kept here, hashes with Argon2.
REAL_PASSWORD_HASHERS = list(django_settings.PASSWORD_HASHERS)
django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
get_hashers.cache_clear()
get_hashers_by_algorithm.cache_clear()


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
    return personas.anne()


@pytest.fixture
def sylvie(db: None) -> User:
    return personas.sylvie()


@pytest.fixture
def camille(db: None) -> Member:
    return personas.camille()


@pytest.fixture
def jerome(db: None) -> Member:
    return personas.jerome()


@pytest.fixture
def camille_activity(camille: Member) -> Activity:
    return personas.camille_activity(camille)


@pytest.fixture
def jerome_activity(jerome: Member) -> Activity:
    return personas.jerome_activity(jerome)


@pytest.fixture
def client_qc(db: None) -> ClientRecord:
    return personas.client_qc()


@pytest.fixture
def nathalie(client_qc: ClientRecord) -> User:
    return personas.nathalie(client_qc)


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
