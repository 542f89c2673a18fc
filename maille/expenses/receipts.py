"""Receipt files: checked by their content, stored with the co-op's file storage.

A receipt is a PDF or a JPEG, PNG or WebP image (what a phone's camera or a
supplier's e-mail gives), at most ``MAILLE_RECEIPT_MAX_BYTES``. The name and
the type the browser claims are ignored: the bytes must open as what they
say they are (pypdf reads the PDF's pages, Pillow verifies the image; both
already in the requirements). The stored name is ours (``receipts/<year>/
<random>.<ext>``), never the uploader's.

No orphan files: ``receipt_stored`` writes the file before the database
transaction (no file I/O inside one, CONVENTIONS §4) and the caller deletes
it if the transaction fails (``stored_receipt`` does both).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
#: Six years after the year concerned (Loi sur l'administration fiscale, art. 35.1).
RETENTION_YEARS = 6


def max_bytes() -> int:
    return int(getattr(settings, "MAILLE_RECEIPT_MAX_BYTES", DEFAULT_MAX_BYTES))


def keep_until(date: dt.date) -> dt.date:
    return dt.date(date.year + RETENTION_YEARS, 12, 31)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _invalid() -> ValidationError:
    return ValidationError(
        _("The receipt must be a PDF or a photo (JPEG, PNG or WebP); this file is neither."),
        code="receipt_type",
    )


def receipt_check(upload: IO[bytes], *, name: str = "") -> CheckedFile:
    """The file's bytes and real type, or a ValidationError saying what is wrong."""
    limit = max_bytes()
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("The receipt is larger than %(mb)s MB: take the photo again at a lower size.")
            % {"mb": limit // (1024 * 1024)},
            code="receipt_size",
        )
    if not content:
        raise ValidationError(_("The receipt file is empty."), code="receipt_empty")
    if content.startswith(b"%PDF-"):
        try:
            reader = PdfReader(io.BytesIO(content), strict=False)
            if len(reader.pages) < 1:
                raise _invalid()
        except ValidationError:
            raise
        except Exception as exc:  # pypdf raises many kinds on a broken file
            raise _invalid() from exc
        return CheckedFile(content, "application/pdf", "pdf", name[:200])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind = image.format or ""
                image.verify()
    except Exception as exc:  # not an image, truncated, or a decompression bomb
        raise _invalid() from exc
    if kind not in IMAGE_TYPES:
        raise _invalid()
    content_type, extension = IMAGE_TYPES[kind]
    return CheckedFile(content, content_type, extension, name[:200])


def receipt_stored(checked: CheckedFile, *, on: dt.date) -> str:
    """Write the checked file under a name of ours; returns the storage name."""
    name = f"receipts/{on.year}/{secrets.token_hex(16)}.{checked.extension}"
    return default_storage.save(name, ContentFile(checked.content))


@contextmanager
def stored_receipt(checked: CheckedFile, *, on: dt.date) -> Iterator[str]:
    """Store the file for the block; delete it if the block fails (no orphan file)."""
    name = receipt_stored(checked, on=on)
    try:
        yield name
    except BaseException:
        default_storage.delete(name)
        raise
