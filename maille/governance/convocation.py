"""The convocation of a general meeting, sent through the shared document mechanism.

Declared once (``declare``, from the app's ``ready``): every member of the
register on the day it is sent receives it by email, in their language, with
the PDF (date, place or link, agenda, documents) and a signed link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.documents.kinds import DocumentKind, Email, register
from maille.governance.models import Meeting, MeetingStatus, Membership

LINK_SALT = "maille.governance.convocation"


def recipients(meeting: Meeting) -> Iterable[tuple[str, str]]:
    day = timezone.localdate()
    memberships = (
        Membership.objects.filter(admitted_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .select_related("member__user")
    )
    return [(m.member.user.email, m.member.user.language or "fr") for m in memberships]


def message(meeting: Meeting, link: str) -> Email:
    when = timezone.localtime(meeting.starts_at)
    return Email(
        subject=_("Convocation: %(meeting)s") % {"meeting": meeting.get_kind_display()},
        body=_(
            "You are called to the %(meeting)s of %(date)s at %(time)s, %(place)s.\n\n"
            "Agenda:\n%(agenda)s\n\nThe convocation and its documents: %(link)s\n"
        )
        % {
            "meeting": meeting.get_kind_display(),
            "date": when.date(),
            "time": when.strftime("%H:%M"),
            "place": meeting.place or meeting.online_link,
            "agenda": meeting.agenda,
            "link": link,
        },
    )


def convocation_pdf(meeting: Meeting, language: str = "fr") -> bytes:
    """The convocation in ``language`` (French unless the member chose English)."""
    from maille.contracts.coop import coop
    from maille.contracts.documents import render_pdf

    context: dict[str, Any] = {
        "coop": coop(),
        "meeting": meeting,
        "documents": list(meeting.documents.all()),
        "when": timezone.localtime(meeting.starts_at),
    }
    return render_pdf(
        "governance/pdf/convocation.html", context, language="en" if language == "en" else "fr"
    )


CONVOCATION = DocumentKind(
    name="convocation",
    model=Meeting,
    salt=LINK_SALT,
    id_key="m",
    link_days=lambda: int(getattr(settings, "MAILLE_CONVOCATION_LINK_DAYS", 120)),
    linkable=lambda: Meeting.objects.exclude(status=MeetingStatus.DRAFT),
    path="/ag/",
    recipients=recipients,
    message=message,
    pdf=convocation_pdf,
    pdf_in=convocation_pdf,
    filename=lambda meeting: f"{meeting.number}.pdf",
    can_send=lambda meeting: meeting.status == MeetingStatus.CALLED,
)


def declare() -> None:
    register(CONVOCATION)
