"""The formal notice (mise en demeure): a letter in the client's language, with a trace.

CCQ 1595 asks for a demand in writing with a sufficient delay; practice adds
the amount, its basis, the interest claimed and the consequence (quebec-
operations.md §10). R-2.2 s. 3 forbids anything that looks like a court
document: the letter is on the co-op's letterhead, titled "Mise en demeure",
with no court heading, seal or file number of a court.

The letter is in French; an English client gets each paragraph in French
then in English (Charter of the French language, as quotes and invoices).
It is a document of the shared mechanism (``documents``): its email leaves
after commit with the PDF attached and a signed link, and the first opening
of the link or the PDF marks it viewed — the provable trace. Registered mail
is recorded by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maille.collection.calendar import in_contact_window
from maille.collection.exceptions import CollectionError
from maille.collection.models import (
    CaseEvent,
    CollectionCase,
    DunningPolicy,
    EventKind,
    FormalNotice,
)
from maille.core.models import User
from maille.core.money import ZERO, format_money
from maille.documents.links import new_nonce
from maille.documents.numbering import format_number, next_number
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind

SERIES = "MD"


def notice_create(
    *,
    case: CollectionCase,
    invoice_ids: list[int],
    date: dt.date,
    acting_user: User | None,
    send: bool = True,
    automatic: bool = False,
    interest_rate: Decimal | None = None,
    delay_days: int | None = None,
) -> FormalNotice:
    """Write the formal notice for some of the case's invoices; send it now or in the window.

    Runs inside the caller's transaction. Staff may send one on an invoice
    under dispute (a written step is their decision); ``interest_rate``
    above what the contract (or the law) allows is refused.
    """
    from maille.collection.selectors import allowed_rate, invoice_interest
    from maille.invoicing.selectors import balance_due, with_credited

    invoices = list(
        with_credited(
            Invoice.objects.filter(
                pk__in=invoice_ids,
                client_id=case.client_id,
                kind=InvoiceKind.INVOICE,
                status__in=OPEN_STATUSES,
            )
        ).select_related("quote", "client")
    )
    problems = []
    if len(invoices) != len(set(invoice_ids)) or not invoices:
        problems.append(_("Invoices: choose open invoices of this client."))
    policy = DunningPolicy.on(date)
    delay = delay_days if delay_days is not None else (policy.notice_delay_days if policy else 10)
    if delay < 10:
        problems.append(_("Delay: give the client at least 10 days to pay (a sufficient delay)."))
    if interest_rate is not None:
        for invoice in invoices:
            limit = allowed_rate(invoice, date)
            if interest_rate > limit:
                problems.append(
                    _(
                        "Interest rate: %(asked)s %% is more than the contract allows on "
                        "%(number)s (%(limit)s %% a year)."
                    )
                    % {"asked": interest_rate, "number": invoice.number, "limit": limit}
                )
    if problems:
        raise CollectionError(problems)
    deadline = date + dt.timedelta(days=delay)
    principal = sum((balance_due(i) for i in invoices), ZERO)
    interest = ZERO
    basis_lines = []
    for invoice in invoices:
        view = invoice_interest(invoice, on=date, principal=balance_due(invoice))
        amount = view.amount
        if interest_rate is not None and view.basis.rate and interest_rate < view.basis.rate:
            amount = (amount * interest_rate / view.basis.rate).quantize(Decimal("0.01"))
        interest += amount
        basis_lines.append(f"{invoice.number}: {view.basis.explanation}")
    year = date.year
    number = format_number(SERIES, year, next_number(SERIES, year))
    now = timezone.now()
    window = policy is not None and in_contact_window(
        now if not automatic else timezone.make_aware(dt.datetime.combine(date, policy.run_at)),
        start=policy.contact_from,
        end=policy.contact_until,
    )
    notice = FormalNotice.objects.create(
        case=case,
        number=number,
        date=date,
        deadline=deadline,
        language=case.client.language,
        principal=principal,
        interest=interest,
        interest_basis="\n".join(basis_lines),
        to_lawyer=case.through_lawyer,
        email_pending=not (send and window),
        link_nonce=new_nonce(),
        created_by=acting_user,
    )
    notice.invoices.set(invoices)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.NOTICE,
        on=date,
        created_by=acting_user,
        text=_(
            "Formal notice %(number)s: %(amount)s and %(interest)s of interest, "
            "to pay by %(deadline)s."
        )
        % {
            "number": number,
            "amount": format_money(principal),
            "interest": format_money(interest),
            "deadline": deadline.isoformat(),
        },
    )
    if send and window:
        notice_send(notice=notice)
    return notice


def notice_send(*, notice: FormalNotice) -> None:
    """Email the notice after commit (to the client's lawyer when the client asked so)."""
    from maille.documents.sending import send_after_commit

    FormalNotice.objects.filter(pk=notice.pk).update(email_pending=False)
    send_after_commit(notice)


@transaction.atomic
def registered_mail_record(
    *, notice: FormalNotice, on: dt.date, reference: str, acting_user: User
) -> FormalNotice:
    problems = []
    if on < notice.date:
        problems.append(_("Date: registered mail cannot be sent before the notice's date."))
    if on > timezone.localdate():
        problems.append(_("Date: not in the future."))
    if not reference.strip():
        problems.append(_("Reference: give the registered mail number."))
    if problems:
        raise CollectionError(problems)
    notice.registered_mail_on, notice.registered_mail_ref = on, reference.strip()[:60]
    notice.save(update_fields=["registered_mail_on", "registered_mail_ref"])
    CaseEvent.objects.create(
        case=notice.case,
        kind=EventKind.REGISTERED_MAIL,
        on=on,
        created_by=acting_user,
        text=_("Formal notice %(number)s sent by registered mail (%(ref)s).")
        % {"number": notice.number, "ref": notice.registered_mail_ref},
    )
    return notice


def notice_paragraphs(notice: FormalNotice, language: str) -> dict[str, Any]:
    """The letter's words in one language (the PDF prints French, then English if asked)."""
    from maille.contracts.coop import coop

    invoices = list(notice.invoices.order_by("due_date", "id"))
    quotes = sorted(
        {i.quote.number for i in invoices if i.quote_id and i.has_accepted_quote and i.quote}
    )
    with translation.override(language):
        money = {
            "principal": format_money(notice.principal, language),
            "interest": format_money(notice.interest, language),
            "total": format_money(notice.principal + notice.interest, language),
        }
        basis = (
            _(
                "This amount is owed under the contract for services concluded by your "
                "acceptance of quote %(quotes)s, and the invoices listed below, which "
                "remain unpaid after their due date."
            )
            % {"quotes": ", ".join(quotes)}
            if quotes
            else _(
                "This amount is owed for the services invoiced below, which remain unpaid "
                "after their due date."
            )
        )
        return {
            "language": language,
            "title": _("Formal notice"),
            "intro": _(
                "By this letter, %(coop)s formally demands that you pay the sum of "
                "%(principal)s, plus interest of %(interest)s as of %(date)s, for a total "
                "of %(total)s."
            )
            % {**money, "coop": coop().name, "date": notice.date.isoformat()},
            "basis": basis,
            "interest_text": _(
                "Interest is claimed as follows, and keeps running until payment: %(basis)s"
            )
            % {"basis": notice.interest_basis.replace("\n", "; ")},
            "delay": _(
                "You have until %(deadline)s to pay this sum by bank transfer or Interac "
                "e-Transfer, giving the invoice numbers as the reference, or to contact us."
            )
            % {"deadline": notice.deadline.isoformat()},
            "consequence": _(
                "Failing payment by that date, the co-op may take legal proceedings to "
                "recover the sum owed, with interest and costs, without further notice."
            ),
            "dispute": _(
                "If you contest this amount, tell us in writing, with your reasons, "
                "before that date."
            ),
            "labels": {
                "number": _("Number"),
                "date": _("Date"),
                "invoice": _("Invoice"),
                "due_date": _("Due date"),
                "owed": _("Amount owed"),
                "by_email": _("Sent by email, with proof of delivery"),
                "regards": _("Kind regards,"),
            },
        }


def notice_pdf(notice: FormalNotice) -> bytes:
    from maille.contracts.coop import coop
    from maille.contracts.documents import doc_languages, render_pdf
    from maille.invoicing.selectors import balance_due

    invoices = list(notice.invoices.order_by("due_date", "id"))
    context = {
        "notice": notice,
        "coop": coop(),
        "client": notice.case.client,
        "lawyer": notice.case.lawyer_name if notice.to_lawyer else "",
        "rows": [(i, balance_due(i)) for i in invoices],
        "texts": [notice_paragraphs(notice, lang) for lang in doc_languages(notice.language)],
    }
    return render_pdf("collection/pdf/notice.html", context, language=notice.language)
