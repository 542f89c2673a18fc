"""The daily collection run: every overdue invoice one step further, by the book.

``collection_run`` reads the overdue invoices (the invoices' partial index),
their progress (``InvoiceDunning``) and what holds them, decides in Python,
and writes in bulk, in one transaction holding the policy row's lock (two
runs at once queue). It is idempotent: a step done is a ``Reminder`` row,
unique per invoice and step, and an invoice moves at most one step a run, so
a second run the same day finds nothing to do and sends nothing.

Each invoice, in order:

1. held — nothing happens, it counts as ``held`` — when an open dispute is on
   it, when the client told the co-op in writing to deal with their lawyer
   (R-2.2 s. 3: nothing goes to the client directly), when the member asked
   to hold its next firm step (until staff release it), or while a promise
   or a payment plan runs;
2. otherwise its next step falls due on its day after the due date, moved
   to a working day, and never sooner after the previous step than the
   policy's gap between the two; before a *firm* step the member is told
   first, and the step waits ``member_notice_days`` after that;
3. a step due is done: an email or a letter to the client (``Reminder``,
   sent at once inside the contact window — working days, 8:00–20:00 —,
   queued for the next window otherwise), a call task for staff (skipped,
   with its reason, on an invoice ever disputed in writing: no verbal
   contact, R-2.2 s. 3), or a formal notice (``FormalNotice``, one per
   client and run, with its PDF and its trace).

Queued reminders go out on the first run inside a window; promises whose day
passed are checked (kept, or broken: the steps resume), and so are payment
plans. Emails leave after commit, in a task.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.collection.calendar import (
    forget_holidays,
    in_contact_window,
    next_window,
    step_date,
)
from maille.collection.letters import collection_letters
from maille.collection.mail import collection_emails
from maille.collection.models import (
    CaseEvent,
    Channel,
    CollectionCase,
    Dispute,
    DisputeStatus,
    DunningPolicy,
    DunningStep,
    EventKind,
    InvoiceDunning,
    PaymentPlan,
    PlanStatus,
    Promise,
    PromiseStatus,
    Reminder,
    ReminderStatus,
    StepKind,
)
from maille.collection.writeoff import recoveries_detect
from maille.core.models import User
from maille.core.money import format_money
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind


@dataclass
class RunResult:
    invoices: int = 0
    reminders: int = 0
    notices: int = 0
    held: int = 0
    calls: int = 0
    members_told: int = 0
    promises_broken: int = 0
    plans_broken: int = 0
    recoveries: int = 0
    letters: int = 0
    in_window: bool = False
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "invoices": self.invoices,
            "reminders": self.reminders,
            "notices": self.notices,
            "held": self.held,
        }


class _DryRun(Exception):
    pass


def run_moment(date: dt.date | None, policy: DunningPolicy | None) -> tuple[dt.date, dt.datetime]:
    """A run for ``date`` happens at the policy's run time that day; no date: now."""
    if date is None:
        now = timezone.now()
        return timezone.localdate(now), now
    at = policy.run_at if policy else dt.time(9, 0)
    return date, timezone.make_aware(dt.datetime.combine(date, at))


def collection_run(
    *,
    date: dt.date | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    acting_user: User | None = None,
) -> RunResult:
    """Run the day's collection (see the module docstring). ``dry_run`` writes nothing."""
    policy = DunningPolicy.on(date or timezone.localdate())
    day, moment = run_moment(date, policy)
    if now is not None:
        moment = now
    result = RunResult()
    forget_holidays()
    if policy is None:
        result.details.append(_("No dunning policy is in force: nothing was done."))
        return result
    try:
        with transaction.atomic():
            _run(policy, day, moment, result, acting_user)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _run(
    policy: DunningPolicy,
    day: dt.date,
    moment: dt.datetime,
    result: RunResult,
    acting_user: User | None,
) -> None:
    # One run at a time: the second waits here and then finds the work done.
    DunningPolicy.objects.select_for_update().filter(pk=policy.pk).first()
    steps = list(policy.steps.order_by("position"))
    window = in_contact_window(moment, start=policy.contact_from, end=policy.contact_until)
    result.in_window = window
    # A payment received since on a written-off invoice is a recovery: booked
    # here when the run can tell (docs/decisions/0010-collection.md).
    result.recoveries = recoveries_detect(on=day, acting_user=acting_user)
    overdue = list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE,
            status__in=OPEN_STATUSES,
            due_date__lt=day,
            client__isnull=False,
        ).values_list(
            "pk", "client_id", "due_date", "number", "total", "amount_paid", "client__language"
        )
    )
    result.invoices = len(overdue)
    if not overdue:
        _send_queued(policy, day, moment, window, {}, result)
        return
    cases = _cases(overdue, day)
    dunnings = _dunnings(overdue, cases)
    _check_promises(day, dunnings, result, acting_user)
    _check_plans(day, dunnings, result, acting_user)
    disputed = set(
        Dispute.objects.filter(status=DisputeStatus.OPEN).values_list("invoice_id", flat=True)
    )
    written = set(
        Dispute.objects.filter(in_writing=True).values_list("invoice_id", flat=True).distinct()
    )
    lawyer_cases = {c.pk for c in cases.values() if c.lawyer_notice_on is not None}
    _send_queued(policy, day, moment, window, dunnings, result, disputed, lawyer_cases)

    new_reminders: list[Reminder] = []
    events: list[CaseEvent] = []
    told: list[int] = []
    changed: list[InvoiceDunning] = []
    notice_due: dict[int, list[int]] = defaultdict(list)
    next_on: dict[int, dt.date | None] = {}
    created = timezone.now()
    for pk, _client_id, due_date, number, total, paid, language in overdue:
        dunning = dunnings[pk]
        if due_date is None or number is None:  # pragma: no cover — an issued invoice has both
            continue
        case_id = dunning.case_id
        held = (
            pk in disputed
            or case_id in lawyer_cases
            or (dunning.paused_until is not None and dunning.paused_until >= day)
        )
        step = steps[dunning.steps_done] if dunning.steps_done < len(steps) else None
        if step is not None and dunning.hold_position == step.position:
            held = True
        if held:
            result.held += 1
            continue
        if step is None:
            continue
        when = _when(step, steps, dunning, due_date)
        if step.firm and dunning.member_told_position < step.position:
            if day >= when - dt.timedelta(days=policy.member_notice_days):
                dunning.member_told_position, dunning.member_told_on = step.position, day
                told.append(dunning.pk)
                events.append(
                    CaseEvent(
                        case_id=case_id,
                        invoice_id=pk,
                        kind=EventKind.MEMBER_TOLD,
                        on=day,
                        text=_("The member was told of the coming step: %(step)s.")
                        % {"step": step.get_kind_display()},
                    )
                )
                changed.append(dunning)
                result.members_told += 1
            _note_next(next_on, case_id, when)
            continue
        if step.firm and dunning.member_told_on is not None:
            when = max(when, dunning.member_told_on + dt.timedelta(days=policy.member_notice_days))
        if when > day:
            _note_next(next_on, case_id, when)
            continue
        # The step is due today.
        dunning.steps_done += 1
        dunning.last_step_on = day
        changed.append(dunning)
        amount = format_money(Decimal(total) - Decimal(paid), language or "fr")
        if step.kind == StepKind.CALL or step.channel == Channel.TASK:
            if pk in written:
                status = ReminderStatus.CANCELLED
                text = _(
                    "Call skipped: the client contested this invoice in writing (R-2.2: no "
                    "verbal contact before a suit)."
                )
            else:
                status = ReminderStatus.TASK
                text = _("Call the client about %(number)s (%(amount)s owed).") % {
                    "number": number,
                    "amount": amount,
                }
                result.calls += 1
        elif step.kind == StepKind.NOTICE:
            notice_due[case_id].append(pk)
            status = ReminderStatus.SENT if window else ReminderStatus.QUEUED
            text = _("Formal notice for %(number)s.") % {"number": number}
        elif step.channel == Channel.LETTER:
            # A letter is printed and posted: its PDF is rendered after commit.
            status = ReminderStatus.SENT if window else ReminderStatus.QUEUED
            text = _("%(step)s for %(number)s: a letter to print and post.") % {
                "step": step.get_kind_display(),
                "number": number,
            }
            result.reminders += 1
            result.letters += 1
        else:
            status = ReminderStatus.SENT if window else ReminderStatus.QUEUED
            text = ""
            result.reminders += 1
        subject, body = step.texts(language or "fr", number, amount, due_date)
        new_reminders.append(
            Reminder(
                dunning=dunning,
                position=step.position,
                kind=step.kind,
                channel=step.channel,
                status=status,
                due_on=day,
                created_at=created,
                sent_at=created if status == ReminderStatus.SENT else None,
                subject=subject,
                body=body,
                language=language or "fr",
            )
        )
        events.append(
            CaseEvent(
                case_id=case_id,
                invoice_id=pk,
                kind=EventKind.REMINDER if step.kind != StepKind.CALL else EventKind.CALL,
                on=day,
                text=text
                or (
                    _("%(step)s sent for %(number)s.")
                    if status == ReminderStatus.SENT
                    else _("%(step)s for %(number)s queued for the next contact window.")
                )
                % {"step": step.get_kind_display(), "number": number},
            )
        )
        following = steps[dunning.steps_done] if dunning.steps_done < len(steps) else None
        if following is not None:
            _note_next(next_on, case_id, _when(following, steps, dunning, due_date))

    _update_grouped(
        InvoiceDunning,
        changed,
        ("steps_done", "last_step_on", "member_told_position", "member_told_on"),
    )
    if new_reminders:
        Reminder.objects.bulk_create(new_reminders, batch_size=2000)
    if events:
        CaseEvent.objects.bulk_create(events, batch_size=2000)
    for case_id, invoice_ids in notice_due.items():
        from maille.collection.notices import notice_create

        notice_create(
            case=CollectionCase.objects.get(pk=case_id),
            invoice_ids=invoice_ids,
            date=day,
            acting_user=acting_user,
            send=window,
            automatic=True,
        )
        result.notices += 1
    _update_next_actions(cases, next_on, day)
    sent_ids = [
        r.pk
        for r in new_reminders
        if r.status == ReminderStatus.SENT and r.channel == Channel.EMAIL and r.pk
    ]
    letter_ids = [r.pk for r in new_reminders if r.channel == Channel.LETTER and r.pk]
    if sent_ids or told or letter_ids:
        _after_commit(sent_ids, told, letter_ids)


def _when(
    step: DunningStep, steps: list[DunningStep], dunning: InvoiceDunning, due_date: dt.date
) -> dt.date:
    when = step_date(due_date, step.days_after_due)
    if dunning.last_step_on is not None and dunning.steps_done > 0:
        previous = steps[dunning.steps_done - 1]
        gap = max(1, step.days_after_due - previous.days_after_due)
        when = max(when, step_date(dunning.last_step_on, gap))
    return when


def _note_next(next_on: dict[int, dt.date | None], case_id: int, when: dt.date) -> None:
    current = next_on.get(case_id)
    if current is None or when < current:
        next_on[case_id] = when


def _cases(overdue: list[tuple], day: dt.date) -> dict[int, CollectionCase]:  # type: ignore[type-arg]
    """Each client's case, made for the clients who have none yet (by client id)."""
    clients = {row[1] for row in overdue}
    if len(clients) > 2000:
        # Thousands of ids in an IN list cost more (sent, parsed, planned) than
        # reading every case once: the cases are at most the clients ever late.
        everyone = CollectionCase.objects.all()
        cases = {c.client_id: c for c in everyone if c.client_id in clients}
    else:
        cases = {c.client_id: c for c in CollectionCase.objects.filter(client_id__in=clients)}
    missing = clients - cases.keys()
    if missing:
        CollectionCase.objects.bulk_create(
            [CollectionCase(client_id=c, opened_on=day) for c in sorted(missing)],
            batch_size=2000,
            ignore_conflicts=True,
        )
        cases.update({c.client_id: c for c in CollectionCase.objects.filter(client_id__in=missing)})
    return cases


def _dunnings(
    overdue: list[tuple],  # type: ignore[type-arg]
    cases: dict[int, CollectionCase],
) -> dict[int, InvoiceDunning]:
    ids = [row[0] for row in overdue]
    found = {
        d.invoice_id: d
        for d in InvoiceDunning.objects.filter(
            invoice__kind=InvoiceKind.INVOICE,
            invoice__status__in=OPEN_STATUSES,
            invoice__due_date__lt=max(row[2] for row in overdue) + dt.timedelta(days=1),
        )
    }
    missing = [row for row in overdue if row[0] not in found]
    if missing:
        InvoiceDunning.objects.bulk_create(
            [InvoiceDunning(invoice_id=row[0], case=cases[row[1]]) for row in missing],
            batch_size=2000,
            ignore_conflicts=True,
        )
        found.update(
            {
                d.invoice_id: d
                for d in InvoiceDunning.objects.filter(invoice_id__in=[r[0] for r in missing])
            }
        )
    return {pk: found[pk] for pk in ids}


def _send_queued(
    policy: DunningPolicy,
    day: dt.date,
    moment: dt.datetime,
    window: bool,
    dunnings: dict[int, InvoiceDunning],
    result: RunResult,
    disputed: set[int] | None = None,
    lawyer_cases: set[int] | None = None,
) -> None:
    """Inside a contact window, what waited for one goes out (unless held since)."""
    from maille.collection.models import FormalNotice

    if not window:
        return
    queued = list(Reminder.objects.filter(status=ReminderStatus.QUEUED).select_related("dunning"))
    send: list[int] = []
    cancel: list[int] = []
    for reminder in queued:
        held = reminder.dunning.invoice_id in (disputed or set()) or (
            reminder.dunning.case_id in (lawyer_cases or set())
        )
        (cancel if held else send).append(reminder.pk)
        if not held and reminder.kind != StepKind.NOTICE:
            result.reminders += 1
    now = timezone.now()
    if send:
        Reminder.objects.filter(pk__in=send).update(status=ReminderStatus.SENT, sent_at=now)
        _after_commit(send, [])
    if cancel:
        Reminder.objects.filter(pk__in=cancel).update(status=ReminderStatus.CANCELLED)
    pending = list(FormalNotice.objects.filter(sent_at__isnull=True, email_pending=True))
    for notice in pending:
        from maille.collection.notices import notice_send

        notice_send(notice=notice)
        result.notices += 1


def _check_promises(
    day: dt.date,
    dunnings: dict[int, InvoiceDunning],
    result: RunResult,
    acting_user: User | None,
) -> None:
    """A promise whose day has passed is kept (the invoice got the amount) or broken."""
    due = list(
        Promise.objects.filter(status=PromiseStatus.OPEN, promised_on__lt=day).select_related(
            "invoice"
        )
    )
    for promise in due:
        got = promise.invoice.amount_paid - promise.paid_before
        kept = got >= promise.amount or promise.invoice.status not in OPEN_STATUSES
        promise.status = PromiseStatus.KEPT if kept else PromiseStatus.BROKEN
        promise.save(update_fields=["status"])
        if not kept:
            result.promises_broken += 1
            CaseEvent.objects.create(
                case_id=promise.case_id,
                invoice=promise.invoice,
                kind=EventKind.PROMISE_BROKEN,
                on=day,
                text=_("The promise to pay %(amount)s on %(date)s was not kept: the steps resume.")
                % {"amount": format_money(promise.amount), "date": promise.promised_on.isoformat()},
                created_by=acting_user,
            )
            dunning = dunnings.get(promise.invoice_id)
            if dunning is not None and dunning.paused_until is not None:
                dunning.paused_until = None
                InvoiceDunning.objects.filter(pk=dunning.pk).update(paused_until=None)


def _check_plans(
    day: dt.date,
    dunnings: dict[int, InvoiceDunning],
    result: RunResult,
    acting_user: User | None,
) -> None:
    """Each active plan followed: an instalment missed breaks it (the steps resume)."""
    from maille.collection.selectors import plan_progress

    for plan in PaymentPlan.objects.filter(status=PlanStatus.ACTIVE).prefetch_related(
        "instalments", "invoices"
    ):
        progress = plan_progress(plan, day)
        if progress.paid >= plan.total:
            plan.status = PlanStatus.DONE
            plan.save(update_fields=["status"])
        elif progress.missed:
            plan.status = PlanStatus.BROKEN
            plan.save(update_fields=["status"])
            result.plans_broken += 1
            CaseEvent.objects.create(
                case_id=plan.case_id,
                kind=EventKind.PLAN,
                on=day,
                text=_(
                    "Payment plan broken: the instalment of %(date)s was not paid; "
                    "the steps resume."
                )
                % {"date": progress.missed.isoformat()},
                created_by=acting_user,
            )
            ids = [i.pk for i in plan.invoices.all()]
            InvoiceDunning.objects.filter(invoice_id__in=ids).update(paused_until=None)
            for pk in ids:
                if pk in dunnings:
                    dunnings[pk].paused_until = None


def _update_next_actions(
    cases: dict[int, CollectionCase], next_on: dict[int, dt.date | None], day: dt.date
) -> None:
    changed = []
    for case in cases.values():
        when = next_on.get(case.pk)
        if case.next_action_on != when:
            case.next_action_on = when
            changed.append(case)
    _update_grouped(CollectionCase, changed, ("next_action_on",))


def _update_grouped(model: type[Any], rows: list[Any], fields: tuple[str, ...]) -> None:
    """Save ``fields`` of ``rows`` with one UPDATE per distinct set of values.

    A run moves thousands of invoices to the same few states (step 1 today,
    step 2 today…): a handful of ``UPDATE … WHERE id IN (…)`` is far cheaper
    than ``bulk_update``'s one CASE per row.
    """
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in rows:
        groups[tuple(getattr(row, f) for f in fields)].append(row.pk)
    for values, ids in groups.items():
        for start in range(0, len(ids), 5000):
            model.objects.filter(pk__in=ids[start : start + 5000]).update(
                **dict(zip(fields, values, strict=True))
            )


def _after_commit(
    reminder_ids: list[int], told_ids: list[int], letter_ids: list[int] | None = None
) -> None:
    if reminder_ids or told_ids:
        transaction.on_commit(
            lambda: collection_emails.enqueue(reminder_ids=reminder_ids, told_ids=told_ids)
        )
    if letter_ids:
        transaction.on_commit(lambda: collection_letters.enqueue(reminder_ids=letter_ids))


def next_run_window(policy: DunningPolicy, moment: dt.datetime) -> dt.datetime:
    return next_window(moment, start=policy.contact_from, end=policy.contact_until)


@task()
def collection_daily_run() -> int:
    """The daily run at the policy's time (``maille scheduler``); returns how many
    invoices it examined."""
    return collection_run().invoices
