"""The demo co-op's expenses: claims in every state, a mileage log, supplier invoices
(one paid by hand, one paid by the bank file, one waiting), and reimbursements that
the payroll demo's bank file carries (code 452, expense payment) — all made through
the expense services, with real receipt files (generated images and PDFs).

``load_small`` runs before the payroll demo, so the claims it approves go into the
pay run's bank file and are reimbursed when the file is sent; ``load_after_pay``
runs after it and leaves one claim approved, waiting for the next file.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from maille.core.models import User
from maille.expenses import services
from maille.expenses.exceptions import InsufficientBudget
from maille.expenses.models import ExpenseClaim, Purchase
from maille.members.models import (
    COOP_ACTIVITY_CODE,
    Activity,
    ActivityKind,
    ActivityStatus,
    Member,
    MemberStatus,
)

GST = "123456782RT0001"  # a well-formed demo number (valid check digit), not a real supplier's
QST = "1234567890TQ0001"
EXCEPTION = "Démo : dépense engagée avant l'encaissement, accord du personnel"


def _photo(text: str) -> io.BytesIO:
    image = Image.new("RGB", (360, 480), (250, 248, 240))
    ImageDraw.Draw(image).text((20, 20), text, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG")
    out.seek(0)
    return out


def _pdf() -> io.BytesIO:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out


def _approve(claim: ExpenseClaim, staff: User) -> None:
    try:
        services.expense_claim_approve(claim=claim, acting_user=staff)
    except InsufficientBudget:
        services.expense_claim_approve(claim=claim, acting_user=staff, exception_reason=EXCEPTION)


def _approve_purchase(purchase: Purchase, staff: User) -> None:
    try:
        services.purchase_approve(purchase=purchase, acting_user=staff)
    except InsufficientBudget:
        services.purchase_approve(purchase=purchase, acting_user=staff, exception_reason=EXCEPTION)


def _members() -> list[tuple[Member, Activity]]:
    pairs = []
    for member in Member.objects.filter(status=MemberStatus.ACTIVE).select_related("user"):
        activity = (
            member.activities.filter(kind=ActivityKind.MEMBER, status=ActivityStatus.OPEN)
            .order_by("code")
            .first()
        )
        if activity is not None:
            pairs.append((member, activity))
    return sorted(pairs, key=lambda p: p[0].number)[:3]


def load_small(staff: User) -> None:
    today = timezone.localdate()

    def day(days_ago: int) -> dt.date:
        return today - dt.timedelta(days=days_ago)

    pairs = _members()
    if not pairs:
        return
    (first, first_activity) = pairs[0]
    (second, second_activity) = pairs[min(1, len(pairs) - 1)]
    # Approved now: reimbursed in the payroll demo's bank file.
    paper = services.expense_claim_create(
        acting_user=first.user,
        activity=first_activity,
        date=day(12),
        supplier="Papeterie Saint-Denis",
        category="materials",
        amount="114.98",
        supplier_gst_number=GST,
        supplier_qst_number=QST,
        description="Papier aquarelle et encres",
        receipt=_photo("Papeterie Saint-Denis 114,98 $"),
        receipt_name="IMG_0042.jpg",
    )
    _approve(paper, staff)
    lunch = services.expense_claim_create(
        acting_user=second.user,
        activity=second_activity,
        date=day(9),
        supplier="Bistro du Plateau",
        category="meals",
        amount="68.99",
        description="Dîner avec un client (50 % des taxes récupérées)",
        receipt=_photo("Bistro du Plateau 68,99 $"),
        receipt_name="recu-bistro.jpg",
    )
    _approve(lunch, staff)
    trip = services.mileage_claim_create(
        acting_user=first.user,
        activity=first_activity,
        date=day(8),
        km="84.0",
        origin="Montréal",
        destination="Saint-Jérôme",
        purpose="Livraison des affiches au client",
    )
    _approve(trip, staff)
    # Waiting for staff: a software subscription and a second trip.
    services.expense_claim_create(
        acting_user=second.user,
        activity=second_activity,
        date=day(3),
        supplier="Adobe (abonnement)",
        supplier_province="ON",
        category="software",
        amount="33.89",
        description="Abonnement mensuel",
        receipt=_pdf(),
        receipt_name="facture-adobe.pdf",
    )
    services.mileage_claim_create(
        acting_user=first.user,
        activity=first_activity,
        date=day(2),
        km="22.5",
        origin="Montréal",
        destination="Laval",
        purpose="Rencontre de démarrage",
    )
    # Returned: no receipt amount readable.
    blurry = services.expense_claim_create(
        acting_user=first.user,
        activity=first_activity,
        date=day(6),
        supplier="Quincaillerie",
        category="materials",
        amount="27.50",
        receipt=_photo("(flou)"),
        receipt_name="IMG_0051.jpg",
    )
    services.expense_claim_return(
        claim=blurry, acting_user=staff, reason="Le montant est illisible : reprenez la photo."
    )
    # Supplier invoices: one for an activity (member then staff), paid; one for COOP waiting.
    printing = services.purchase_create(
        acting_user=first.user,
        activity=first_activity,
        invoice_number="IMP-2026-118",
        date=day(15),
        supplier="Imprimerie Laval",
        category="subcontracting",
        amount="229.95",
        supplier_gst_number=GST,
        supplier_qst_number=QST,
        description="Impression de 200 affiches",
        document=_pdf(),
        document_name="IMP-2026-118.pdf",
    )
    _approve_purchase(printing, staff)
    services.purchase_pay(
        purchase=printing, acting_user=staff, paid_on=day(5), reference="Virement 0457"
    )
    # A supplier whose bank account is on its invoice: paid by the payroll demo's
    # bank file (code 460, accounts payable) once the member and staff approved.
    sound = services.purchase_create(
        acting_user=second.user,
        activity=second_activity,
        invoice_number="SL-0932",
        date=day(10),
        supplier="Studio Son et Lumière",
        category="equipment",
        amount="172.46",
        supplier_gst_number=GST,
        supplier_qst_number=QST,
        supplier_bank_account="815-30001-5550199",
        description="Location d'un micro et d'un éclairage",
        document=_pdf(),
        document_name="SL-0932.pdf",
    )
    _approve_purchase(sound, staff)
    services.purchase_create(
        acting_user=staff,
        activity=Activity.objects.get(code=COOP_ACTIVITY_CODE),
        invoice_number="HQ-88421",
        date=day(4),
        supplier="Hydro-Québec",
        category="other",
        amount="86.23",
        supplier_gst_number=GST,
        supplier_qst_number=QST,
        description="Électricité de l'espace partagé",
        document=_pdf(),
        document_name="hydro.pdf",
    )


def load_after_pay(staff: User) -> None:
    """A claim approved after the pay run: it waits for the next bank file."""
    pairs = _members()
    if not pairs:
        return
    member, activity = pairs[-1]
    claim = services.expense_claim_create(
        acting_user=member.user,
        activity=activity,
        date=timezone.localdate() - dt.timedelta(days=1),
        supplier="Bureau en Gros",
        category="materials",
        amount="45.99",
        receipt=_photo("Bureau en Gros 45,99 $"),
        receipt_name="IMG_0060.jpg",
    )
    _approve(claim, staff)
