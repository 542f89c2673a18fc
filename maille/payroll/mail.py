"""The payslip as a kind of document (``maille.documents``): its email and its link.

The shared mechanism signs the link, sends the email after commit in the
member's language and records sent and viewed. A payslip's email carries no
attachment: its figures are personal, so only the signed link reaches the PDF,
and the link opens only for the member it was sent to, signed in
(``views.payslip_link``) — a forwarded email opens nothing for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.documents.kinds import DocumentKind, Email
from maille.documents.marks import mark_viewed
from maille.payroll.models import Payslip, PayslipPdf

LINK_SALT = "maille.payroll.payslip-link"
LINK_DAYS = 90


def payslip_message(payslip: Payslip, link: str) -> Email:
    values = {"date": payslip.pay_date.isoformat(), "coop": settings.MAILLE_COOP_NAME}
    parts = [
        _("Hello %(name)s,") % {"name": payslip.member.user.first_name or ""},
        _("Your payslip of %(date)s is ready.") % values,
        _("Sign in to open it (the link works for you only, for 90 days):") + "\n" + link,
        _("All your payslips are on your pay page."),
        _("Kind regards,") + "\n" + settings.MAILLE_COOP_NAME,
    ]
    return Email(subject=_("Your payslip of %(date)s — %(coop)s") % values, body="\n\n".join(parts))


def _recipients(payslip: Payslip) -> list[tuple[str, str]]:
    user = payslip.member.user
    return [(user.email, user.language or "fr")] if user is not None and user.email else []


def stored_pdf(payslip: Payslip) -> bytes:
    """The PDF the workers rendered, or rendered now if they have not yet."""
    stored = PayslipPdf.objects.filter(payslip=payslip).values_list("content", flat=True).first()
    if stored is not None:
        return bytes(stored)
    from maille.payroll.pdf import payslip_pdf  # WeasyPrint loads on first use

    return payslip_pdf(payslip)


def payslip_pdf_response(payslip: Payslip, user: User) -> HttpResponse:
    """The stored PDF (rendered now if the workers have not yet), for a page or the API;
    the member's own opening marks the payslip viewed."""
    if payslip.member.user_id == user.pk:
        mark_viewed(payslip)
    response = HttpResponse(stored_pdf(payslip), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bulletin-{payslip.pay_date:%Y-%m-%d}-{payslip.member.number}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _linkable() -> Any:
    return Payslip.objects.select_related("member__user", "activity", "run")


PAYSLIP = DocumentKind(
    name="payslip",
    model=Payslip,
    salt=LINK_SALT,
    id_key="b",
    link_days=lambda: LINK_DAYS,
    linkable=_linkable,
    path="/paie/b/",
    recipients=_recipients,
    message=payslip_message,
    pdf=stored_pdf,
    filename=lambda p: f"bulletin-{p.pay_date:%Y-%m-%d}-{p.member.number}.pdf",
    can_send=lambda p: p.member.user_id is not None,
    attach_pdf=False,
)
