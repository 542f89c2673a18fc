"""Collection's emails: the formal notice as a document kind, reminders, members told.

The formal notice goes through the shared mechanism (``documents``): signed
link, email after commit with its PDF, sent and viewed marks. Reminders and
the member's notices are plain emails sent by ``collection_emails`` (below)
after the run commits, and only inside the contact window for clients.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maille.collection.models import Channel, FormalNotice, InvoiceDunning, Reminder, ReminderStatus
from maille.documents.kinds import DocumentKind, Email

LINK_SALT = "maille.collection.notice-link"


def notice_recipients(notice: FormalNotice) -> list[tuple[str, str]]:
    case = notice.case
    if case.through_lawyer:
        # s. 3: nothing to the client directly once they named their lawyer.
        return [(case.lawyer_email, case.client.language)] if case.lawyer_email else []
    return [(c.email, c.language) for c in case.client.contacts.all()]


def notice_message(notice: FormalNotice, link: str) -> Email:
    values = {"number": notice.number, "coop": settings.MAILLE_COOP_NAME}
    return Email(
        subject=_("Formal notice %(number)s from %(coop)s") % values,
        body="\n\n".join(
            [
                _("Hello,"),
                _("Please find attached our formal notice %(number)s.") % values,
                _("You can also read and download it online:") + "\n" + link,
                _("Kind regards,") + "\n" + settings.MAILLE_COOP_NAME,
            ]
        ),
    )


def _pdf(notice: FormalNotice) -> bytes:
    from maille.collection.notices import notice_pdf

    return notice_pdf(notice)


def _can_send(notice: FormalNotice) -> bool:
    from maille.collection.calendar import in_contact_window
    from maille.collection.models import DunningPolicy

    policy = DunningPolicy.on(timezone.localdate())
    if policy is None:
        return True
    if not in_contact_window(timezone.now(), start=policy.contact_from, end=policy.contact_until):
        # Past the window by the time the task ran: the next run sends it.
        FormalNotice.objects.filter(pk=notice.pk).update(email_pending=True)
        return False
    return True


FORMAL_NOTICE = DocumentKind(
    name="formal_notice",
    model=FormalNotice,
    salt=LINK_SALT,
    id_key="mn",
    link_days=lambda: 365,
    linkable=lambda: FormalNotice.objects.select_related("case__client"),
    path="/mn/",
    recipients=notice_recipients,
    message=notice_message,
    pdf=_pdf,
    can_send=_can_send,
)


def reminders_send(reminder_ids: list[int]) -> int:
    """Email each email reminder to the client's contacts (a letter is printed and
    posted: ``letters``); returns how many messages went out."""
    sent = 0
    for reminder in (
        Reminder.objects.filter(
            pk__in=reminder_ids, status=ReminderStatus.SENT, channel=Channel.EMAIL
        )
        .select_related("dunning__case__client", "dunning__invoice")
        .prefetch_related("dunning__case__client__contacts")
    ):
        case = reminder.dunning.case
        if case.through_lawyer:
            continue
        for contact in case.client.contacts.all():
            EmailMessage(
                reminder.subject or str(reminder.dunning.invoice),
                reminder.body,
                to=[contact.email],
                reply_to=[settings.MAILLE_COOP_EMAIL],
            ).send()
            sent += 1
    return sent


def members_tell(dunning_ids: list[int]) -> int:
    """Tell each member a firm step is coming on their invoice, and that they may hold it."""
    sent = 0
    for dunning in InvoiceDunning.objects.filter(pk__in=dunning_ids).select_related(
        "invoice__member__user", "invoice__client"
    ):
        member = dunning.invoice.member
        if member is None or not member.user.email:
            continue
        with translation.override(member.user.language or "fr"):
            values = {
                "number": dunning.invoice.number,
                "client": dunning.invoice.client,
                "link": f"{settings.MAILLE_SITE_URL}/collection/mine/",
            }
            EmailMessage(
                _("Invoice %(number)s: a firm reminder is coming") % values,
                _(
                    "Hello,\n\nYour invoice %(number)s to %(client)s is still unpaid. The co-op "
                    "will send a firm reminder in a few days. If you have a reason to hold it "
                    "(the client told you they are paying, a discussion under way), ask to hold "
                    "it here: %(link)s"
                )
                % values,
                to=[member.user.email],
            ).send()
            sent += 1
    return sent


@task()
def collection_emails(*, reminder_ids: list[int], told_ids: list[int]) -> int:
    """A run's emails, after it committed: reminders to clients, notices to members."""
    return reminders_send(reminder_ids) + members_tell(told_ids)
