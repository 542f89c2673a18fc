"""What a kind of document declares to use the shared mechanism.

A kind (a quote, an invoice, a payslip, a formal notice…) is declared once by
the app that owns the model, in its ``AppConfig.ready``::

    register(DocumentKind(name="invoice", model=Invoice, salt=..., ...))

and from then on ``links``, ``sending`` and ``marks`` serve it: nothing of the
mechanism is copied into the app. The documents app never imports the apps
that declare kinds (it sits below them); it finds a kind by its name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Email:
    """One message of a document, in the recipient's language."""

    subject: str
    body: str


def letter(subject: str, *paragraphs: str) -> Email:
    """A document's email: the greeting, the paragraphs given (empty ones left
    out) and the co-op's signature, in the active language."""
    parts = [
        _("Hello,"),
        *(p for p in paragraphs if p),
        _("Kind regards,") + "\n" + settings.MAILLE_COOP_NAME,
    ]
    return Email(subject=subject, body="\n\n".join(parts))


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document and the few things only its app knows.

    - ``salt`` and ``id_key``: how its links are signed (kept stable, so the
      links already sent stay valid);
    - ``link_days``: the links' lifetime, read when a link is opened (``None``:
      the link never expires, only a revocation stops it — a calendar feed);
    - ``linkable``: the documents a link may open (never a draft, say);
    - ``path``: the public URL prefix of a link (``/i/``);
    - ``recipients``: (email, language) of each person the document goes to;
    - ``message``: subject and body for one recipient, given the link (called
      inside ``translation.override`` of the recipient's language);
    - ``pdf``: the document's attachment (a PDF, or ``attachment_type``'s
      kind: an ``.ics`` invitation), rendered after commit, outside any
      transaction;
    - ``can_send``: whether the document may go out now (a task run late
      finds it withdrawn);
    - ``mark_sent_by_email``: the email itself marks the document sent (an
      invoice), or a service already did (a quote's freeze);
    - ``pdf_in``: when given, the attachment in a recipient's language
      (``pdf_in(document, language)``, rendered once per language): a
      convocation sent to every member;
    - ``attach_pdf``: the PDF goes with the email (a quote, an invoice), or
      only the signed link reaches it (a payslip: personal figures stay out of
      mailboxes and forwards; ``pdf`` is then not called to send).
    """

    name: str
    model: type[models.Model]
    salt: str
    id_key: str
    link_days: Callable[[], int | None]
    linkable: Callable[[], models.QuerySet[Any]]
    path: str
    recipients: Callable[[Any], Iterable[tuple[str, str]]]
    message: Callable[[Any, str], Email]
    pdf: Callable[[Any], bytes]
    filename: Callable[[Any], str] = field(default=lambda doc: f"{doc.number}.pdf")
    can_send: Callable[[Any], bool] = field(default=lambda doc: True)
    mark_sent_by_email: bool = True
    attach_pdf: bool = True
    attachment_type: str = "application/pdf"
    pdf_in: Callable[[Any, str], bytes] | None = None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Declare a kind of document (idempotent: an app's ``ready`` may run twice)."""
    _KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> DocumentKind:
    return _KINDS[name]


def kind_of(document: models.Model) -> DocumentKind:
    for kind in _KINDS.values():
        if isinstance(document, kind.model):
            return kind
    raise LookupError(f"no document kind declared for {type(document).__name__}")
