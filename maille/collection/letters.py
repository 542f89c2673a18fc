"""Reminders by letter: a PDF to print and post, in the client's language.

A dunning step whose channel is "letter" writes its ``Reminder`` as any
step does (the daily run, idempotent); the letter itself is a PDF of the
shared documents mechanism (``contracts.documents.render_pdf``, as the formal
notice): the step's text in French, then in English for an English client
(Charter of the French language, as quotes, invoices and notices). The PDF is
rendered after the run commits, in a task (slow work stays out of the
run's transaction), and stored on the reminder, so the case page offers
staff the very letter to print and post; a letter not rendered yet is
rendered on its first download. Nothing in it looks like a court document
(R-2.2 s. 3): the co-op's letterhead, the step's own text.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from maille.collection.models import Channel, DunningPolicy, Reminder
from maille.core.money import format_money


def _texts(reminder: Reminder, language: str) -> dict[str, Any]:
    invoice = reminder.dunning.invoice
    policy = DunningPolicy.on(reminder.due_on)
    step = policy.steps.filter(position=reminder.position).first() if policy else None
    owed = format_money(invoice.total - invoice.amount_paid - invoice.amount_written_off, language)
    if step is not None and invoice.number and invoice.due_date:
        subject, body = step.texts(language, invoice.number, owed, invoice.due_date)
    else:  # the policy changed since: the text written at the time
        subject, body = reminder.subject, reminder.body
    with translation.override(language):
        return {
            "language": language,
            "subject": subject or _("Reminder"),
            "paragraphs": [p for p in body.split("\n\n") if p.strip()],
            "labels": {
                "date": _("Date"),
                "invoice": _("Invoice"),
                "due_date": _("Due date"),
                "owed": _("Amount owed"),
                "regards": _("Kind regards,"),
            },
        }


def letter_pdf(reminder: Reminder) -> bytes:
    """The letter of a "letter" step, rendered now."""
    from maille.contracts.coop import coop
    from maille.contracts.documents import doc_languages, render_pdf
    from maille.invoicing.models import Invoice
    from maille.invoicing.selectors import balance_due, with_credited

    invoice = with_credited(Invoice.objects.filter(pk=reminder.dunning.invoice_id)).get()
    context = {
        "reminder": reminder,
        "invoice": invoice,
        "owed": balance_due(invoice),
        "coop": coop(),
        "client": reminder.dunning.case.client,
        "texts": [_texts(reminder, lang) for lang in doc_languages(reminder.language)],
    }
    return render_pdf("collection/pdf/letter.html", context, language=reminder.language)


def letter_stored(reminder: Reminder) -> bytes:
    """The stored letter, rendered and stored first if the task has not yet."""
    if reminder.letter_pdf:
        return bytes(reminder.letter_pdf)
    pdf = letter_pdf(reminder)
    Reminder.objects.filter(pk=reminder.pk, letter_pdf__isnull=True).update(letter_pdf=pdf)
    return pdf


def letters_render(reminder_ids: list[int]) -> int:
    """Render and store the letters of these reminders (the run's task); returns how many."""
    done = 0
    for reminder in Reminder.objects.filter(
        pk__in=reminder_ids, channel=Channel.LETTER, letter_pdf__isnull=True
    ).select_related("dunning__invoice", "dunning__case__client"):
        letter_stored(reminder)
        done += 1
    return done


@task()
def collection_letters(*, reminder_ids: list[int]) -> int:
    """The PDFs of a run's "letter" steps, rendered after it committed and stored."""
    return letters_render(reminder_ids)
