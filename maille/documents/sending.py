"""Sending a document by email: after commit, in each recipient's language, with its PDF.

``send_after_commit`` is what a service calls inside its transaction; the
task runs once the transaction has committed (never for a rolled-back one),
renders the PDF outside any transaction and sends one message per recipient,
each in the recipient's language, with the signed link and (unless the kind
says ``attach_pdf=False``) the PDF attached.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.tasks import task
from django.utils import translation

from maille.documents.kinds import kind_named, kind_of
from maille.documents.links import link_path
from maille.documents.marks import mark_sent


def send_after_commit(document: models.Model) -> None:
    """Queue the email of ``document`` for when the caller's transaction commits."""
    name, pk = kind_of(document).name, document.pk
    transaction.on_commit(lambda: document_email.enqueue(kind=name, document_id=pk))


@task()
def document_email(*, kind: str, document_id: int) -> int:
    """The task: email a document to its recipients; returns how many messages were sent."""
    return document_email_send(kind=kind, document_id=document_id)


def document_email_send(*, kind: str, document_id: int) -> int:
    """Email one document to its recipients; returns how many messages went out."""
    declared = kind_named(kind)
    document = declared.model._default_manager.get(pk=document_id)
    if not declared.can_send(document):
        return 0
    recipients = list(declared.recipients(document))
    if not recipients:
        return 0
    by_language = declared.pdf_in
    pdf = declared.pdf(document) if declared.attach_pdf and by_language is None else None
    pdfs: dict[str, bytes] = {}
    link = f"{settings.MAILLE_SITE_URL}{link_path(document)}"
    sent = 0
    for address, language in recipients:
        with translation.override(language):
            email = declared.message(document, link)
        message = EmailMessage(
            email.subject, email.body, to=[address], reply_to=[settings.MAILLE_COOP_EMAIL]
        )
        if by_language is not None and declared.attach_pdf:
            if language not in pdfs:
                pdfs[language] = by_language(document, language)
            message.attach(declared.filename(document), pdfs[language], declared.attachment_type)
        elif pdf is not None:
            message.attach(declared.filename(document), pdf, declared.attachment_type)
        message.send()
        sent += 1
    if sent and declared.mark_sent_by_email:
        mark_sent(document)
    return sent
