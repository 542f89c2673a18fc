"""``field__any``: the same rows as ``__in``, with the list sent as one array on PostgreSQL."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from maille.core.models import User

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds_and_ignores_none():
    users = [User.objects.create_user(email=f"u{i}@exemple.ca") for i in range(4)]
    wanted = [users[0].pk, users[2].pk, users[2].pk, None]
    found = set(User.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == {users[0].pk, users[2].pk}
    assert found == set(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))


def test_any_of_nothing_is_nothing():
    User.objects.create_user(email="seul@exemple.ca")
    assert not User.objects.filter(pk__any=[]).exists()
    assert not User.objects.filter(pk__any=[None]).exists()


def test_any_on_a_foreign_key_by_id_and_on_text():
    types = list(ContentType.objects.order_by("pk")[:2])
    ids = [t.pk for t in types]
    expected = Permission.objects.filter(content_type_id__in=ids).count()
    assert expected > 0
    assert Permission.objects.filter(content_type_id__any=ids).count() == expected
    assert Permission.objects.filter(content_type__any=ids).count() == expected
    codenames = list(
        Permission.objects.filter(content_type_id__in=ids).values_list("codename", flat=True)
    )
    assert Permission.objects.filter(codename__any=codenames).count() >= len(set(codenames))


def test_any_is_one_array_parameter_on_postgresql():
    sql = str(User.objects.filter(pk__any=[1, 2, 3]).query)
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert " IN (1, 2, 3)" in sql
