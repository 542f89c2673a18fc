"""Receipts are checked by their content, not their name; a refused claim leaves no
file behind, and neither does a claim that fails after its file was stored."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from maille.expenses import services
from maille.expenses.models import ExpenseClaim, Receipt
from maille.expenses.services import claims
from maille.expenses.tests.helpers import TODAY, claim, jpeg, pdf, png

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "receipts"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG declaring a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF")
    return out.getvalue()


HOSTILE = {
    "text named .jpg": b"just some text, not a photo",
    "html named .png": b"<html><script>alert(1)</script></html>",
    "pdf header only": b"%PDF-1.7\n garbage with no pages",
    "truncated png": png()[:60],
    "gif": _gif(),
    "decompression bomb": _bomb_png(),
    "empty": b"",
    "elf binary": b"\x7fELF\x02\x01\x01" + b"\0" * 100,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_file_that_is_not_a_receipt_is_refused(name, camille, camille_activity):
    with pytest.raises(ValidationError) as caught:
        claim(camille, camille_activity, receipt=HOSTILE[name])
    assert set(caught.value.message_dict) == {"receipt"}
    assert not ExpenseClaim.objects.exists() and not Receipt.objects.exists()
    assert _stored_files() == []


def test_a_too_large_receipt_is_refused(camille, camille_activity, settings):
    settings.MAILLE_RECEIPT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        claim(camille, camille_activity, receipt=png((400, 400)) + b"\0" * 2000)
    assert "dépasse" in caught.value.message_dict["receipt"][0]
    assert _stored_files() == []


@pytest.mark.parametrize("content", [png(), jpeg(), pdf()], ids=["png", "jpeg", "pdf"])
def test_real_receipts_are_stored_under_our_name(content, camille, camille_activity):
    c = claim(camille, camille_activity, receipt=content)
    assert c.receipt.file.name.startswith("receipts/2026/")
    assert "recu" not in c.receipt.file.name
    assert c.receipt.keep_until.isoformat() == "2032-12-31"
    assert [p.read_bytes() for p in _stored_files()] == [content]


def test_a_bad_field_with_a_good_file_leaves_no_file(camille, camille_activity):
    with pytest.raises(ValidationError) as caught:
        claim(camille, camille_activity, date=TODAY.replace(day=25))
    assert caught.value.message_dict["date"] == ["La date est dans le futur."]
    assert _stored_files() == []


def test_a_failure_after_the_file_is_stored_deletes_it(camille, camille_activity, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(claims, "_reserve_if_it_fits", broken)  # as the claim calls it
    with pytest.raises(RuntimeError):
        claim(camille, camille_activity)
    assert _stored_files() == []
    assert not ExpenseClaim.objects.exists()


def test_every_problem_is_named_at_once(camille, jerome_activity):
    with pytest.raises(ValidationError) as caught:
        services.expense_claim_create(
            acting_user=camille.user,
            activity=jerome_activity,
            date=None,
            supplier="",
            category="nope",
            amount="abc",
            receipt=io.BytesIO(b"text"),
        )
    assert set(caught.value.message_dict) == {
        "activity",
        "date",
        "supplier",
        "category",
        "amount",
        "receipt",
    }
    assert _stored_files() == []
