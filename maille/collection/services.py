"""Writes on collection cases: notes, calls, promises, disputes, plans, holds, the lawyer.

Each service checks everything first and reports every problem at once
(``CollectionError``), then writes in one transaction with the event on the
case's timeline. R-2.2 is enforced here, so the page, the API and the CLI
obey it alike: no call on an invoice contested in writing, nothing to a
client who named their lawyer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.collection.exceptions import CollectionError
from maille.collection.models import (
    CaseEvent,
    CollectionCase,
    Dispute,
    DisputeStatus,
    DunningPolicy,
    EventKind,
    Instalment,
    InvoiceDunning,
    PaymentPlan,
    PlanStatus,
    Promise,
    Reminder,
    ReminderStatus,
)
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money
from maille.guarantee import services as guarantee
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind
from maille.invoicing.selectors import balance_due, with_credited


def _amount_problems(label: str, value: object) -> list[str]:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return [_("%(f)s: not an amount.") % {"f": label}]
    if not amount.is_finite() or amount <= 0:
        return [_("%(f)s must be more than zero.") % {"f": label}]
    if amount != amount.quantize(CENT):
        return [_("%(f)s has more than two decimals.") % {"f": label}]
    return []


def case_for(invoice: Invoice) -> CollectionCase:
    """The invoice's client's case file (made on first need)."""
    if invoice.client_id is None:
        raise CollectionError(_("Invoice: an internal invoice is not collected."))
    case, _created = CollectionCase.objects.get_or_create(
        client_id=invoice.client_id, defaults={"opened_on": timezone.localdate()}
    )
    return case


def _dunning(invoice: Invoice, case: CollectionCase) -> InvoiceDunning:
    dunning, _created = InvoiceDunning.objects.get_or_create(
        invoice=invoice, defaults={"case": case}
    )
    return dunning


def _open_invoice(invoice_id: int, *, client_id: int | None = None) -> Invoice:
    invoice = (
        with_credited(Invoice.objects.filter(pk=invoice_id))
        .select_for_update(of=("self",))
        .select_related("client", "quote")
        .first()
    )
    if invoice is None or (client_id is not None and invoice.client_id != client_id):
        raise CollectionError(_("Invoice: this is not an invoice of this client."))
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise CollectionError(
            _("Invoice: %(n)s has nothing left to pay.") % {"n": invoice.number or invoice.pk}
        )
    return invoice


def _event(
    case: CollectionCase,
    kind: str,
    text: str,
    acting_user: User | None,
    invoice: Invoice | None = None,
    on: dt.date | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        invoice=invoice,
        kind=kind,
        text=text,
        on=on or timezone.localdate(),
        created_by=acting_user,
    )


def contested_in_writing(invoice_id: int) -> bool:
    return Dispute.objects.filter(invoice_id=invoice_id, in_writing=True).exists()


# ---------------------------------------------------------------- notes and calls


@transaction.atomic
def case_note_add(*, case: CollectionCase, text: str, acting_user: User) -> CaseEvent:
    if not text.strip():
        raise CollectionError(_("Note: write something."))
    return _event(case, EventKind.NOTE, text.strip()[:4000], acting_user)


@transaction.atomic
def call_record(
    *, case: CollectionCase, invoice: Invoice | None, text: str, acting_user: User
) -> CaseEvent:
    """A call made to the client (R-2.2: refused once they contested in writing
    or named a lawyer)."""
    problems = []
    if case.through_lawyer:
        problems.append(
            _("Call: the client asked in writing to deal with their lawyer; contact the lawyer.")
        )
    if invoice is not None and contested_in_writing(invoice.pk):
        problems.append(
            _(
                "Call: the client contested %(n)s in writing; no verbal contact before a suit "
                "(R-2.2). Write instead."
            )
            % {"n": invoice.number}
        )
    if not text.strip():
        problems.append(_("Note: say what was said."))
    if problems:
        raise CollectionError(problems)
    if invoice is not None:
        Reminder.objects.filter(dunning__invoice=invoice, status=ReminderStatus.TASK).update(
            status=ReminderStatus.DONE
        )
    return _event(case, EventKind.CALL, text.strip()[:4000], acting_user, invoice)


# ---------------------------------------------------------------- promises


@transaction.atomic
def promise_make(
    *,
    invoice_id: int,
    promised_on: dt.date,
    amount: Decimal,
    acting_user: User,
    by_client: bool = False,
    client_id: int | None = None,
    on: dt.date | None = None,
) -> Promise:
    """The client will pay ``amount`` on ``promised_on``: the steps pause until then;
    a broken promise resumes them (the daily run checks). ``on``: the day the
    client promised (staff may record a phone call the next day), never ahead."""
    invoice = _open_invoice(invoice_id, client_id=client_id)
    today = on or timezone.localdate()
    problems = _amount_problems(_("Amount"), amount)
    if today > timezone.localdate():
        problems.append(_("Date: the day of the promise cannot be in the future."))
    if promised_on < today:
        problems.append(_("Date: a promise to pay cannot be in the past."))
    elif (promised_on - today).days > 180:
        problems.append(_("Date: more than six months ahead; propose a payment plan instead."))
    owed = balance_due(invoice)
    if not problems and Decimal(amount) > owed:
        problems.append(
            _("Amount: more than what is owed on %(n)s (%(owed)s).")
            % {"n": invoice.number, "owed": format_money(owed)}
        )
    if problems:
        raise CollectionError(problems)
    case = case_for(invoice)
    promise = Promise.objects.create(
        case=case,
        invoice=invoice,
        promised_on=promised_on,
        amount=Decimal(amount),
        paid_before=invoice.amount_paid,
        by_client=by_client,
        created_by=acting_user,
    )
    dunning = _dunning(invoice, case)
    dunning.paused_until = promised_on
    dunning.save(update_fields=["paused_until"])
    _event(
        case,
        EventKind.PROMISE,
        _("Promise to pay %(amount)s on %(date)s%(who)s.")
        % {
            "amount": format_money(Decimal(amount)),
            "date": promised_on.isoformat(),
            "who": _(" (made by the client online)") if by_client else "",
        },
        acting_user,
        invoice,
        on=today,
    )
    return promise


# ---------------------------------------------------------------- disputes


@transaction.atomic
def dispute_raise(
    *,
    invoice_id: int,
    what: str,
    raised_by: str,
    acting_user: User,
    in_writing: bool = True,
    client_id: int | None = None,
) -> Dispute:
    """The client contests an invoice: its steps hold and the member is asked to respond.

    ``client_id`` (the client portal, the API for a client contact): the
    invoice must be that client's.
    """
    invoice = _open_invoice(invoice_id, client_id=client_id)
    problems = []
    if not what.strip():
        problems.append(_("What is contested: say what is wrong with the invoice."))
    if not raised_by.strip():
        problems.append(_("Raised by: give the name of the person who contests."))
    if Dispute.objects.filter(invoice=invoice, status=DisputeStatus.OPEN).exists():
        problems.append(_("Invoice: a dispute on %(n)s is already open.") % {"n": invoice.number})
    if problems:
        raise CollectionError(problems)
    case = case_for(invoice)
    _dunning(invoice, case)
    dispute = Dispute(
        case=case,
        invoice=invoice,
        what=what.strip()[:4000],
        raised_by=raised_by.strip()[:200],
        in_writing=in_writing,
        raised_on=timezone.localdate(),
        created_by=acting_user,
    )
    set_actor(dispute, acting_user)
    dispute.save()
    Reminder.objects.filter(dunning__invoice=invoice, status=ReminderStatus.QUEUED).update(
        status=ReminderStatus.CANCELLED
    )
    _event(
        case,
        EventKind.DISPUTE,
        _("%(who)s contests %(n)s%(how)s: %(what)s")
        % {
            "who": dispute.raised_by,
            "n": invoice.number,
            "how": _(" in writing") if in_writing else _(" orally"),
            "what": dispute.what,
        },
        acting_user,
        invoice,
    )
    _tell_member_of_dispute(dispute)
    _guarantee_dispute(invoice, acting_user, open_=True, reason=dispute.what)
    return dispute


def _guarantee_dispute(
    invoice: Invoice, acting_user: User | None, *, open_: bool, reason: str = ""
) -> None:
    """A disputed invoice is not eligible to the guarantee while the dispute is open
    (docs/decisions/0009-guarantee.md)."""
    if open_:
        guarantee.dispute_open(
            invoice=invoice, on=timezone.localdate(), reason=reason, acting_user=acting_user
        )
    else:
        guarantee.dispute_close(invoice=invoice, on=timezone.localdate(), acting_user=acting_user)


def _tell_member_of_dispute(dispute: Dispute) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    member = dispute.invoice.member
    if member is None or not member.user.email:
        return
    address, language = member.user.email, member.user.language or "fr"
    number = dispute.invoice.number

    def send() -> None:
        with translation.override(language):
            send_mail(
                _("Invoice %(n)s is contested by the client") % {"n": number},
                _(
                    "Hello,\n\nThe client contests invoice %(n)s. Reminders are on hold. "
                    "Please answer here: %(link)s"
                )
                % {"n": number, "link": f"{settings.MAILLE_SITE_URL}/collection/mine/"},
                None,
                [address],
            )

    transaction.on_commit(send)


@transaction.atomic
def dispute_answer(*, dispute: Dispute, answer: str, acting_user: User) -> Dispute:
    """The member's answer to a dispute on their invoice (staff read it and decide)."""
    problems = []
    if not dispute.is_open:
        problems.append(_("Dispute: already decided."))
    if not answer.strip():
        problems.append(_("Answer: say what happened."))
    if problems:
        raise CollectionError(problems)
    dispute.member_answer = answer.strip()[:4000]
    dispute.member_answered_at = timezone.now()
    set_actor(dispute, acting_user)
    dispute.save(update_fields=["member_answer", "member_answered_at"])
    _event(
        dispute.case,
        EventKind.DISPUTE,
        _("The member answered: %(a)s") % {"a": dispute.member_answer},
        acting_user,
        dispute.invoice,
    )
    return dispute


@transaction.atomic
def dispute_decide(*, dispute: Dispute, outcome: str, decision: str, acting_user: User) -> Dispute:
    """Staff decide: the client is right (a credit note follows) or the amount is owed
    (the steps resume; calls stay forbidden on that invoice, R-2.2)."""
    problems = []
    if not acting_user.is_staff:
        raise PermissionError
    if not dispute.is_open:
        problems.append(_("Dispute: already decided."))
    if outcome not in (DisputeStatus.UPHELD, DisputeStatus.REJECTED):
        problems.append(_("Outcome: choose whether the client is right or the amount is owed."))
    if not decision.strip():
        problems.append(_("Decision: give the reason."))
    if problems:
        raise CollectionError(problems)
    dispute.status = outcome
    dispute.decision = decision.strip()[:4000]
    dispute.decided_by, dispute.decided_at = acting_user, timezone.now()
    set_actor(dispute, acting_user)
    dispute.save(update_fields=["status", "decision", "decided_by", "decided_at"])
    _guarantee_dispute(dispute.invoice, acting_user, open_=False)
    _event(
        dispute.case,
        EventKind.DECISION,
        _("Dispute on %(n)s decided (%(o)s): %(d)s")
        % {"n": dispute.invoice.number, "o": dispute.get_status_display(), "d": dispute.decision},
        acting_user,
        dispute.invoice,
    )
    return dispute


# ---------------------------------------------------------------- payment plans


@transaction.atomic
def plan_create(
    *,
    case: CollectionCase,
    invoice_ids: Sequence[int],
    instalments: Sequence[tuple[dt.date, Decimal]],
    acting_user: User,
) -> PaymentPlan:
    """Instalments that add up to exactly what is owed on the invoices; the steps pause."""
    problems: list[str] = []
    invoices = []
    for pk in invoice_ids:
        try:
            invoices.append(_open_invoice(pk, client_id=case.client_id))
        except CollectionError as exc:
            problems += exc.problems
    if not invoices and not problems:
        problems.append(_("Invoices: choose at least one."))
    if not instalments:
        problems.append(_("Instalments: give at least one."))
    today = timezone.localdate()
    previous: dt.date | None = None
    for n, (due_on, amount) in enumerate(instalments, start=1):
        label = _("Instalment %(n)s") % {"n": n}
        problems += _amount_problems(label, amount)
        if due_on < today:
            problems.append(_("%(f)s: the date is in the past.") % {"f": label})
        if previous is not None and due_on <= previous:
            problems.append(_("%(f)s: dates must follow each other.") % {"f": label})
        previous = due_on
    owed = sum((balance_due(i) for i in invoices), ZERO)
    total = ZERO
    if not problems:
        total = sum((Decimal(str(a)) for _d, a in instalments), ZERO)
        if total != owed:
            problems.append(
                _("Instalments: they add up to %(t)s, but %(o)s is owed on these invoices.")
                % {"t": format_money(total), "o": format_money(owed)}
            )
    if problems:
        raise CollectionError(problems)
    plan = PaymentPlan.objects.create(
        case=case,
        total=total,
        paid_before=sum((i.amount_paid for i in invoices), ZERO),
        created_by=acting_user,
    )
    plan.invoices.set(invoices)
    Instalment.objects.bulk_create(
        [Instalment(plan=plan, due_on=d, amount=Decimal(str(a))) for d, a in instalments]
    )
    last = instalments[-1][0]
    for invoice in invoices:
        dunning = _dunning(invoice, case)
        dunning.paused_until = last
        dunning.save(update_fields=["paused_until"])
    _event(
        case,
        EventKind.PLAN,
        _("Payment plan: %(n)s instalments, %(t)s, the last on %(d)s.")
        % {"n": len(instalments), "t": format_money(total), "d": last.isoformat()},
        acting_user,
    )
    return plan


# ---------------------------------------------------------------- member holds


@transaction.atomic
def step_hold(*, dunning: InvoiceDunning, reason: str, acting_user: User) -> InvoiceDunning:
    """The member asks to hold the coming firm step, for a reason (recorded)."""
    dunning = InvoiceDunning.objects.select_for_update().get(pk=dunning.pk)
    policy = DunningPolicy.on(timezone.localdate())
    steps = list(policy.steps.order_by("position")) if policy else []
    step = steps[dunning.steps_done] if dunning.steps_done < len(steps) else None
    problems = []
    if step is None or not step.firm:
        problems.append(_("Step: the next step is not a firm one; nothing to hold."))
    if dunning.member_hold:
        problems.append(_("Step: it is already held."))
    if not reason.strip():
        problems.append(_("Reason: say why the step should wait."))
    if problems:
        raise CollectionError(problems)
    if step is None:  # pragma: no cover — refused above
        raise CollectionError(_("Step: the next step is not a firm one; nothing to hold."))
    dunning.hold_position, dunning.hold_reason, dunning.hold_by = (
        step.position,
        reason.strip()[:300],
        acting_user,
    )
    dunning.save(update_fields=["hold_position", "hold_reason", "hold_by"])
    _event(
        dunning.case,
        EventKind.HOLD,
        _("The member asked to hold the %(step)s: %(r)s")
        % {"step": step.get_kind_display(), "r": dunning.hold_reason},
        acting_user,
        dunning.invoice,
    )
    return dunning


@transaction.atomic
def step_release(*, dunning: InvoiceDunning, acting_user: User) -> InvoiceDunning:
    """Staff release a member's hold: the step goes out on the next run."""
    if not acting_user.is_staff:
        raise PermissionError
    if not dunning.member_hold:
        raise CollectionError(_("Step: nothing is held."))
    dunning.hold_position, dunning.hold_reason, dunning.hold_by = None, "", None
    dunning.save(update_fields=["hold_position", "hold_reason", "hold_by"])
    _event(dunning.case, EventKind.RELEASE, _("Hold released."), acting_user, dunning.invoice)
    return dunning


# ---------------------------------------------------------------- the law


@transaction.atomic
def lawyer_notice_record(
    *, case: CollectionCase, on: dt.date, lawyer_name: str, lawyer_email: str, acting_user: User
) -> CollectionCase:
    """The client wrote to deal with their lawyer: from now on, only the lawyer (R-2.2 s. 3)."""
    problems = []
    if on > timezone.localdate():
        problems.append(_("Date: not in the future."))
    if not lawyer_name.strip():
        problems.append(_("Lawyer: give the lawyer's name."))
    if problems:
        raise CollectionError(problems)
    case.lawyer_notice_on, case.lawyer_name, case.lawyer_email = (
        on,
        lawyer_name.strip()[:200],
        lawyer_email.strip()[:254],
    )
    set_actor(case, acting_user)
    case.save(update_fields=["lawyer_notice_on", "lawyer_name", "lawyer_email"])
    Reminder.objects.filter(dunning__case=case, status=ReminderStatus.QUEUED).update(
        status=ReminderStatus.CANCELLED
    )
    _event(
        case,
        EventKind.LAWYER,
        _("The client asked to deal with their lawyer, %(l)s: nothing goes to the client directly.")
        % {"l": case.lawyer_name},
        acting_user,
        on=on,
    )
    return case


@transaction.atomic
def acknowledgement_record(
    *, invoice: Invoice, on: dt.date, text: str, acting_user: User
) -> CaseEvent:
    """The client acknowledged the debt (a letter, an email): prescription starts again."""
    problems = []
    if on > timezone.localdate():
        problems.append(_("Date: not in the future."))
    if invoice.due_date and on < invoice.due_date:
        problems.append(_("Date: before the invoice's due date."))
    if not text.strip():
        problems.append(_("Note: say how the client acknowledged the debt."))
    if problems:
        raise CollectionError(problems)
    return _event(
        case_for(invoice), EventKind.ACKNOWLEDGEMENT, text.strip()[:4000], acting_user, invoice, on
    )


@transaction.atomic
def judicial_demand_record(
    *, case: CollectionCase, on: dt.date, acting_user: User
) -> CollectionCase:
    if on > timezone.localdate():
        raise CollectionError(_("Date: not in the future."))
    case.judicial_demand_on = on
    set_actor(case, acting_user)
    case.save(update_fields=["judicial_demand_on"])
    _event(
        case,
        EventKind.JUDICIAL,
        _("Judicial demand filed: prescription interrupted."),
        acting_user,
        on=on,
    )
    return case


@transaction.atomic
def formal_notice_issue(
    *,
    case: CollectionCase,
    invoice_ids: Sequence[int],
    acting_user: User,
    interest_rate: Decimal | None = None,
    delay_days: int | None = None,
) -> object:
    """Staff send a formal notice (allowed on a disputed invoice: a written step
    by their decision)."""
    from maille.collection.notices import notice_create

    if not acting_user.is_staff:
        raise PermissionError
    return notice_create(
        case=case,
        invoice_ids=list(invoice_ids),
        date=timezone.localdate(),
        acting_user=acting_user,
        interest_rate=interest_rate,
        delay_days=delay_days,
    )


def plan_statuses() -> list[str]:
    return [s.value for s in PlanStatus]
