# ruff: noqa: E501 — translations are kept one per line, as in a catalog
"""French for the msgids of payments and the bank (source of the app's django.po).

After ``python manage.py makemessages -l fr …``, run
``python maille/payments/locale/fr_translations.py`` from the repository root: it
fills the French of the ``payments`` catalog from here (and from the project
catalog for shared words) and compiles it.
"""

FR = {
    "Payments and bank": "Paiements et banque",
    "account": "compte",
    "date": "date",
    "amount": "montant",
    "method": "mode",
    "payer": "payeur",
    "bank reference": "référence bancaire",
    "reason": "motif",
    "reference": "référence",
    "statement file": "fichier de relevé",
    "format": "format",
    "Detect": "Détecter",
    "what it is": "de quoi il s'agit",
    "other account (a transfer)": "autre compte (un virement)",
    "to": "au",
    "from": "du",
    "bank closing balance": "solde de clôture de la banque",
    "bank opening balance": "solde d'ouverture de la banque",
    "ledger balance": "solde au grand livre",
    "date column": "colonne de la date",
    "amount column (signed)": "colonne du montant (signé)",
    "withdrawal column": "colonne des retraits",
    "deposit column": "colonne des dépôts",
    "description column": "colonne de la description",
    "reference column": "colonne de la référence",
    "date format": "format de la date",
    "the first line is a header": "la première ligne est un en-tête",
    "delimiter": "séparateur",
    "decimal comma": "virgule décimale",
    "%(client)s paid %(amount)s on invoice %(number)s (%(activity)s); %(due)s is still owed.": "%(client)s a payé %(amount)s sur la facture %(number)s (%(activity)s); il reste %(due)s à payer.",
    "Your client paid: %(number)s": "Votre client a payé : %(number)s",
    "Hello %(name)s,": "Bonjour %(name)s,",
    "Kind regards,": "Cordialement,",
    "Bank transfer": "Virement bancaire",
    "Interac e-Transfer": "Virement Interac",
    "Cheque": "Chèque",
    "Cash": "Comptant",
    "Other": "Autre",
    "name": "nom",
    "institution": "institution",
    "Three digits.": "Trois chiffres.",
    "transit": "transit",
    "Five digits.": "Cinq chiffres.",
    "account number": "numéro de compte",
    "Five to twelve digits.": "De cinq à douze chiffres.",
    "currency": "devise",
    "ledger account": "compte du grand livre",
    "CSV column mapping": "correspondance des colonnes CSV",
    "active": "actif",
    "bank account": "compte bancaire",
    "bank accounts": "comptes bancaires",
    "client": "client",
    "memo": "note",
    "reversed on": "contrepassé le",
    "reason for the reversal": "motif de la contrepassation",
    "payment": "paiement",
    "payments": "paiements",
    "allocation": "imputation",
    "allocations": "imputations",
    "Bank transfer (next CPA-005 file)": "Virement (prochain fichier CPA-005)",
    "refund": "remboursement",
    "refunds": "remboursements",
    "Desjardins CSV": "CSV Desjardins",
    "RBC CSV": "CSV RBC",
    "CSV (saved column mapping)": "CSV (correspondance des colonnes enregistrée)",
    "Running": "En cours",
    "Done": "Terminé",
    "Refused": "Refusé",
    "file": "fichier",
    "encoding": "encodage",
    "status": "statut",
    "lines": "lignes",
    "new": "nouvelles",
    "duplicates": "doublons",
    "matched": "rapprochées",
    "suggested": "proposées",
    "unmatched": "non rapprochées",
    "statement import": "import de relevé",
    "statement imports": "imports de relevés",
    "Unmatched": "Non rapprochée",
    "Suggested": "Proposée",
    "Matched": "Rapprochée",
    "Something else": "Autre chose",
    "Bank fees": "Frais bancaires",
    "Interest": "Intérêts",
    "Transfer between the co-op's accounts": "Virement entre comptes de la coop",
    "A member's share payment": "Paiement de parts d'un membre",
    "description": "description",
    "end-to-end id": "identifiant de bout en bout",
    "remittance information": "informations de remise",
    "bank line": "ligne bancaire",
    "bank lines": "lignes bancaires",
    "reconciliation": "rapprochement",
    "reconciliations": "rapprochements",
    "Payment %(p)s received — %(payer)s": "Paiement %(p)s reçu — %(payer)s",
    "Credit of %(p)s applied to %(i)s": "Crédit de %(p)s imputé à %(i)s",
    "Refund of the credit of %(p)s": "Remboursement du crédit de %(p)s",
    "%(f)s: not an amount.": "%(f)s : ce n'est pas un montant.",
    "%(f)s must be more than zero.": "%(f)s doit être plus grand que zéro.",
    "%(f)s has more than two decimals.": "%(f)s a plus de deux décimales.",
    "%(f)s is too large.": "%(f)s est trop grand.",
    "Allocation %(n)s": "Imputation %(n)s",
    "%(f)s: no such invoice.": "%(f)s : cette facture n'existe pas.",
    "%(f)s: invoice %(i)s is not an invoice of this client.": "%(f)s : la facture %(i)s n'est pas une facture de ce client.",
    "%(f)s: %(i)s is not an issued invoice.": "%(f)s : %(i)s n'est pas une facture émise.",
    "Invoice %(i)s: %(a)s is more than the %(o)s still owed on it.": "Facture %(i)s : %(a)s dépasse les %(o)s qui restent à payer.",
    "The amount": "Le montant",
    "%(m)s is not a payment method.": "%(m)s n'est pas un mode de paiement.",
    "A payment cannot be dated in the future.": "Un paiement ne peut pas être daté dans le futur.",
    "Name the client before allocating the payment to invoices.": "Indiquez le client avant d'imputer le paiement à des factures.",
    "The allocations (%(a)s) add up to more than the payment (%(p)s).": "Les imputations (%(a)s) dépassent le paiement (%(p)s).",
    "This payment was reversed.": "Ce paiement a été contrepassé.",
    "This payment is already another client's.": "Ce paiement est déjà celui d'un autre client.",
    "Choose at least one invoice.": "Choisissez au moins une facture.",
    "Only %(left)s of this payment is left to allocate.": "Il ne reste que %(left)s de ce paiement à imputer.",
    "A credit cannot be applied before the payment was received.": "Un crédit ne peut pas être imputé avant la réception du paiement.",
    "%(m)s is not a refund method.": "%(m)s n'est pas un mode de remboursement.",
    "Only %(left)s of this payment is left to refund.": "Il ne reste que %(left)s de ce paiement à rembourser.",
    "This payment is already reversed.": "Ce paiement est déjà contrepassé.",
    "Give the reason for the reversal (e.g. NSF cheque).": "Indiquez le motif de la contrepassation (p. ex. chèque sans provision).",
    "A reversal cannot be dated before the payment.": "Une contrepassation ne peut pas être datée avant le paiement.",
    "Part of this payment was refunded: reverse the refund first.": "Une partie de ce paiement a été remboursée : annulez d'abord le remboursement.",
    "Payments": "Paiements",
    "Credit": "Crédit",
    "Record a payment": "Enregistrer un paiement",
    "reversed": "contrepassé",
    "No payment yet.": "Aucun paiement pour l'instant.",
    "Your clients paid": "Vos clients ont payé",
    "Payments received": "Paiements reçus",
    "Payment": "Paiement",
    "Invoices settled": "Factures réglées",
    "None yet.": "Aucune pour l'instant.",
    "Refunds": "Remboursements",
    "Apply the credit": "Imputer le crédit",
    "Show the client's invoices": "Afficher les factures du client",
    "owed": "dû",
    "allocate": "imputer",
    "Apply": "Imputer",
    "Refund the credit": "Rembourser le crédit",
    "Refund": "Rembourser",
    "Reverse (bounced cheque, NSF)": "Contrepasser (chèque sans provision)",
    "Reverse": "Contrepasser",
    "Payer unknown": "Payeur inconnu",
    "Credits to apply or refund": "Crédits à imputer ou à rembourser",
    "Payer unknown: the money waits as a credit until someone recognises it.": "Payeur inconnu : l'argent attend comme crédit jusqu'à ce que quelqu'un le reconnaisse.",
    "client number": "numéro du client",
    "Choose": "Choisir",
    "Allocation (proposed: the invoice named, or the oldest first)": "Imputation (proposée : la facture nommée, ou la plus ancienne d'abord)",
    "What is not allocated stays as the client's credit.": "Ce qui n'est pas imputé reste au crédit du client.",
    "Record": "Enregistrer",
    "%(v)s is not an amount.": "%(v)s n'est pas un montant.",
    "No such invoice.": "Cette facture n'existe pas.",
    "Payment recorded.": "Paiement enregistré.",
    "Give the date and the reason for the reversal.": "Indiquez la date et le motif de la contrepassation.",
    "Payment reversed: what it settled is owed again.": "Paiement contrepassé : ce qu'il réglait est de nouveau dû.",
    "Give the amount and the method of the refund.": "Indiquez le montant et le mode du remboursement.",
    "Refund recorded.": "Remboursement enregistré.",
    "Credit applied.": "Crédit imputé.",
}


def write() -> None:
    """Fill the French of the payments catalog and compile it (run from the repository root)."""
    import pathlib
    import subprocess

    from babel.messages.pofile import read_po, write_po

    known: dict[str, str] = {}
    for shared in (
        "maille/locale/fr/LC_MESSAGES/django.po",
        "maille/invoicing/locale/fr/LC_MESSAGES/django.po",
    ):
        with open(shared, "rb") as f:
            for m in read_po(f):
                if m.id and isinstance(m.id, str) and m.string and not m.fuzzy:
                    known.setdefault(m.id, m.string)
    known.update(FR)
    po = pathlib.Path("maille/payments/locale/fr/LC_MESSAGES/django.po")
    with po.open("rb") as f:
        catalog = read_po(f)
    missing = []
    for m in catalog:
        msgid = m.id if isinstance(m.id, str) else m.id[0] if m.id else ""
        if not msgid:
            continue
        if msgid in known:
            m.string = known[msgid] if isinstance(m.id, str) else (known[msgid],) * 2
            m.flags.discard("fuzzy")
        else:
            missing.append(msgid)
    with po.open("wb") as f:
        write_po(f, catalog, width=100)
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],  # noqa: S607
        check=True,
    )
    for msgid in missing:
        print("missing:", msgid)


if __name__ == "__main__":
    write()
