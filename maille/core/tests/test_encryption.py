"""The SIN and bank account are encrypted at rest and shown masked."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_sin_is_not_stored_in_clear(camille):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sin, bank_account FROM members_member WHERE id = %s", [camille.pk])
        sin, bank = cursor.fetchone()
    assert "130692544" not in sin
    assert "1234567" not in bank
    camille.refresh_from_db()
    assert camille.sin == "130692544"


def test_history_rows_do_not_hold_the_clear_sin(camille):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sin FROM members_historicalmember")
        rows = [r[0] for r in cursor.fetchall()]
    assert rows and all("130692544" not in r for r in rows)


def test_masks_show_only_the_last_digits(camille):
    assert camille.sin_masked == "••• ••• 544"
    assert camille.bank_account_masked.endswith("4567")
    assert "815" not in camille.bank_account_masked
