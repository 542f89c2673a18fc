# ruff: noqa: E501 — translations are kept one per line, as in a catalog
"""French for the msgids of quotes, invoices and their emails (source of django.po).

After ``maille makemessages -l fr``, run ``python maille/invoicing/locale/fr_translations.py``
from the repository root: it fills the French of the ``contracts`` and
``invoicing`` catalogs from here (and ``extra_fr.py``) and compiles them.
"""

FR = {
    "Quote": "Soumission",
    "Invoice": "Facture",
    "Credit note": "Note de crédit",
    "Internal invoice": "Facture interne",
    "Final invoice — contract cancelled by the client": "Facture finale — contrat résilié par le client",
    "Number": "Numéro",
    "Date": "Date",
    "Quote date": "Date de la soumission",
    "Valid until": "Valide jusqu'au",
    "Invoice date": "Date de la facture",
    "Due date": "Date d'échéance",
    "Supplier": "Fournisseur",
    "Client": "Client",
    "Work done by": "Travail réalisé par",
    "Member": "Membre",
    "Activity": "Activité",
    "GST/HST registration no.": "N° d'inscription TPS/TVH",
    "QST registration no.": "N° d'inscription TVQ",
    "Québec enterprise number (NEQ)": "Numéro d'entreprise du Québec (NEQ)",
    "Client's GST/HST no.": "N° TPS/TVH du client",
    "Client's QST no.": "N° TVQ du client",
    "Description of the services": "Description des services",
    "Qty": "Qté",
    "Unit": "Unité",
    "Unit price": "Prix unitaire",
    "Amount": "Montant",
    "Subtotal before taxes": "Sous-total avant taxes",
    "Total": "Total",
    "Total due": "Total à payer",
    "GST": "TPS",
    "QST": "TVQ",
    "HST": "TVH",
    "zero-rated": "détaxé",
    "exempt": "exonéré",
    "Zero-rated supply: service exported outside Canada.": "Fourniture détaxée : service exporté hors du Canada.",
    "Internal invoice between two activities of the co-op: no sales tax.": "Facture interne entre deux activités de la coopérative : aucune taxe de vente.",
    "Taxes as of the quote date; the invoice applies the rates in force on its own date.": "Taxes calculées à la date de la soumission; la facture applique les taux en vigueur à sa propre date.",
    "Terms of payment": "Modalités de paiement",
    "Payable within %(days)s days of the invoice date. Overdue amounts bear interest at %(rate)s %% a year.": "Payable dans les %(days)s jours suivant la date de la facture. Tout montant en retard porte intérêt au taux de %(rate)s %% par année.",
    "Payable on receipt. Overdue amounts bear interest at %(rate)s %% a year.": "Payable sur réception. Tout montant en retard porte intérêt au taux de %(rate)s %% par année.",
    "How to pay": "Comment payer",
    "Bank transfer": "Virement bancaire",
    "Interac e-Transfer": "Virement Interac",
    "Reference to give": "Référence à indiquer",
    "Quote accepted": "Soumission acceptée",
    "No accepted quote": "Sans soumission acceptée",
    "Your reference": "Votre référence",
    "Corrects invoice": "Corrige la facture",
    "Reason": "Motif",
    "This credit note cancels, in whole or in part, the invoice named above; the taxes are reversed in the same proportion.": "Cette note de crédit annule, en tout ou en partie, la facture indiquée ci-dessus; les taxes sont renversées dans la même proportion.",
    "Deliverables": "Livrables",
    "Schedule": "Échéancier",
    "From %(start)s to %(end)s": "Du %(start)s au %(end)s",
    "Conditions of the contract": "Conditions du contrat",
    "This quote, once accepted, is a contract for services governed by articles 2098 to 2129 of the Civil Code of Québec. The co-op is the supplier; its member named above does the work and chooses the means of doing it, with no relationship of subordination to the client.": "Une fois acceptée, cette soumission constitue un contrat de service régi par les articles 2098 à 2129 du Code civil du Québec. La coopérative est le prestataire; son membre nommé ci-dessus réalise le travail et en choisit les moyens d'exécution, sans lien de subordination avec le client.",
    "The client may cancel the contract at any time, even after the work has begun (art. 2125 C.C.Q.). The client then owes the value of the work done before the cancellation and the costs actually incurred, in proportion to the agreed price (art. 2129 C.C.Q.); the co-op issues a final invoice for them.": "Le client peut résilier le contrat en tout temps, même si son exécution est commencée (art. 2125 C.c.Q.). Il doit alors la valeur des travaux exécutés avant la résiliation et les frais réellement engagés, en proportion du prix convenu (art. 2129 C.c.Q.); la coopérative émet pour ceux-ci une facture finale.",
    "The co-op may withdraw from the contract only for a serious reason, and not at an inopportune time; it then does everything immediately necessary to prevent a loss for the client (art. 2126 C.C.Q.).": "La coopérative ne peut résilier le contrat que pour un motif sérieux, et jamais à contretemps; elle fait alors tout ce qui est immédiatement nécessaire pour prévenir une perte pour le client (art. 2126 C.c.Q.).",
    "Invoices are payable within %(days)s days of their date; overdue amounts bear interest at %(rate)s %% a year from the due date.": "Les factures sont payables dans les %(days)s jours de leur date; tout montant en retard porte intérêt au taux de %(rate)s %% par année à compter de l'échéance.",
    "Intellectual property": "Propriété intellectuelle",
    "The economic rights in the deliverables are assigned to the client once the price has been paid in full. The author keeps the moral rights.": "Les droits patrimoniaux sur les livrables sont cédés au client une fois le prix entièrement payé. L'auteur conserve ses droits moraux.",
    "The client receives an exclusive licence to use the deliverables for the purpose described in this quote, once the price has been paid in full. The author keeps the copyright.": "Le client reçoit une licence exclusive d'utilisation des livrables aux fins décrites dans cette soumission, une fois le prix entièrement payé. L'auteur conserve le droit d'auteur.",
    "The client receives a non-exclusive licence to use the deliverables for the purpose described in this quote, once the price has been paid in full. The author keeps the copyright and may reuse the work.": "Le client reçoit une licence non exclusive d'utilisation des livrables aux fins décrites dans cette soumission, une fois le prix entièrement payé. L'auteur conserve le droit d'auteur et peut réutiliser l'œuvre.",
    "Additional clauses": "Clauses additionnelles",
    "Acceptance": "Acceptation",
    "The client accepts this quote online through the link sent by the co-op. The acceptance records the name and role of the person who accepts, the time, and the SHA-256 fingerprint of this document.": "Le client accepte cette soumission en ligne au moyen du lien transmis par la coopérative. L'acceptation consigne le nom et la fonction de la personne qui accepte, l'heure, ainsi que l'empreinte SHA-256 du présent document.",
    "Page": "Page",
    "Thank you for your trust.": "Merci de votre confiance.",
    "hour": "heure",
    "day": "jour",
    "unit": "unité",
    "flat fee": "forfait",
    "word": "mot",
    "Deposit of %(p)s %%": "Acompte de %(p)s %%",
    "Balance": "Solde",
    "Costs incurred: %(d)s": "Frais engagés : %(d)s",
    "Invoice %(n)s": "Facture %(n)s",
    "Credit note %(n)s": "Note de crédit %(n)s",
    "Internal invoice %(n)s": "Facture interne %(n)s",
    "Mutualized contribution on %(n)s": "Contribution mutualisée sur %(n)s",
    "Balance due": "Solde à payer",
    "Paid": "Payée",
    "Partially paid": "Payée en partie",
    "Written off": "Radiée",
    "written off": "radié",
    "Issued": "Émise",
    "Draft": "Brouillon",
    "Overdue": "En retard",
    "Accepted": "Acceptée",
    "Refused": "Refusée",
    "Sent": "Envoyée",
    "Quote %(number)s from %(coop)s": "Soumission %(number)s de %(coop)s",
    "Invoice %(number)s from %(coop)s": "Facture %(number)s de %(coop)s",
    "Credit note %(number)s from %(coop)s": "Note de crédit %(number)s de %(coop)s",
    "Hello,": "Bonjour,",
    "Please find attached our quote %(number)s (%(title)s), prepared by %(member)s.": "Vous trouverez ci-joint notre soumission %(number)s (%(title)s), préparée par %(member)s.",
    "You can read it and accept or refuse it online, without an account, until %(date)s:": "Vous pouvez la consulter puis l'accepter ou la refuser en ligne, sans compte, jusqu'au %(date)s :",
    "Please find attached invoice %(number)s of %(total)s, due on %(due)s.": "Vous trouverez ci-joint la facture %(number)s au montant de %(total)s, payable au plus tard le %(due)s.",
    "Please find attached credit note %(number)s of %(total)s.": "Vous trouverez ci-joint la note de crédit %(number)s au montant de %(total)s.",
    "You can also view and download it online:": "Vous pouvez aussi la consulter et la télécharger en ligne :",
    "Pay by bank transfer to %(account)s (%(bank)s) or by Interac e-Transfer to %(interac)s, giving the reference %(number)s.": "Payez par virement bancaire au compte %(account)s (%(bank)s) ou par virement Interac à %(interac)s, en indiquant la référence %(number)s.",
    "Kind regards,": "Cordialement,",
    "Accept this quote": "Accepter cette soumission",
    "Refuse this quote": "Refuser cette soumission",
    "Your name": "Votre nom",
    "Your role or title": "Votre fonction",
    "Reason (optional)": "Motif (facultatif)",
    "I have read the document above and I accept it on behalf of the client.": "J'ai lu le document ci-dessus et je l'accepte au nom du client.",
    "Download the PDF": "Télécharger le PDF",
    "Thank you: the quote is accepted.": "Merci : la soumission est acceptée.",
    "The quote is refused; the co-op has been told.": "La soumission est refusée; la coopérative en est avisée.",
    "This link is not valid.": "Ce lien n'est pas valide.",
    "This link has expired. Ask the co-op for a new one.": "Ce lien est expiré. Demandez-en un nouveau à la coopérative.",
    "This link has been revoked. Ask the co-op for a new one.": "Ce lien a été révoqué. Demandez-en un nouveau à la coopérative.",
    "The document you saw is not the current one. Reload the page and check it again.": "Le document que vous avez vu n'est plus le document courant. Rechargez la page et relisez-le.",
    "This quote has already been answered or withdrawn.": "Cette soumission a déjà reçu une réponse ou a été retirée.",
    "This quote has expired. Ask the co-op for a new one.": "Cette soumission est expirée. Demandez-en une nouvelle à la coopérative.",
    "Give your name.": "Indiquez votre nom.",
    "Give your role or title.": "Indiquez votre fonction.",
    "SHA-256 fingerprint of the document": "Empreinte SHA-256 du document",
    "Accepted on %(when)s by %(name)s (%(role)s).": "Acceptée le %(when)s par %(name)s (%(role)s).",
    "Refused on %(when)s by %(name)s (%(role)s).": "Refusée le %(when)s par %(name)s (%(role)s).",
}


CATALOGS = ("maille/contracts/locale", "maille/invoicing/locale")


def write() -> None:
    """Fill the French of the two apps' catalogs (after ``makemessages -l fr``) and compile them.

    Run from the repository root. Strings the project catalog already
    translates are taken from it.
    """
    import pathlib
    import subprocess
    import sys

    from babel.messages.pofile import read_po, write_po

    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from extra_fr import EXTRA

    known = dict(FR)
    with open("maille/locale/fr/LC_MESSAGES/django.po", "rb") as f:
        for m in read_po(f):
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy:
                known.setdefault(m.id, m.string)
    known.update(EXTRA)
    for base in CATALOGS:
        po = pathlib.Path(base) / "fr" / "LC_MESSAGES" / "django.po"
        with po.open("rb") as f:
            catalog = read_po(f)
        for m in catalog:
            msgid = m.id if isinstance(m.id, str) else m.id[0] if m.id else ""
            if msgid and msgid in known:
                m.string = known[msgid] if isinstance(m.id, str) else (known[msgid],) * 2
                m.flags.discard("fuzzy")
        with po.open("wb") as f:
            write_po(f, catalog, width=100)
        subprocess.run(  # noqa: S603
            ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],  # noqa: S607
            check=True,
        )


if __name__ == "__main__":
    write()
