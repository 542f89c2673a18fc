"""Demo clients: a few realistic ones in several provinces and abroad, and a
large deterministic set for benchmarks."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction
from stdnum import luhn

from maille.clients import services
from maille.clients.models import Client, ClientKind
from maille.core.models import User

SMALL = [
    # legal name, kind, street, city, province, postal code, country, GST, QST, NEQ, language
    (
        "Éditions de la Courte Échelle inc.",
        ClientKind.BUSINESS,
        "5243, boul. Saint-Laurent",
        "Montréal",
        "QC",
        "H2T 1S4",
        "CA",
        "123456782RT0001",
        "1234567890TQ0001",
        "1145678901",
        "fr",
    ),
    (
        "Boulangerie Le Pain d'Antan",
        ClientKind.BUSINESS,
        "312, rue Saint-Jean",
        "Québec",
        "QC",
        "G1R 1P1",
        "CA",
        "",
        "",
        "",
        "fr",
    ),
    (
        "Ville de Sherbrooke",
        ClientKind.PUBLIC,
        "191, rue du Palais",
        "Sherbrooke",
        "QC",
        "J1H 5H9",
        "CA",
        "",
        "",
        "",
        "fr",
    ),
    (
        "Northern Lights Media Ltd.",
        ClientKind.BUSINESS,
        "220 King St W",
        "Toronto",
        "ON",
        "M5H 1K4",
        "CA",
        "",
        "",
        "",
        "en",
    ),
    (
        "Atlantic Seafood Co-operative",
        ClientKind.BUSINESS,
        "1505 Barrington St",
        "Halifax",
        "NS",
        "B3J 3K5",
        "CA",
        "",
        "",
        "",
        "en",
    ),
    (
        "Rocky Mountain Outfitters",
        ClientKind.BUSINESS,
        "805 1 St SW",
        "Calgary",
        "AB",
        "T2P 7N3",
        "CA",
        "",
        "",
        "",
        "en",
    ),
    (
        "Atelier Lumière SARL",
        ClientKind.BUSINESS,
        "12, rue de la Roquette",
        "Paris",
        "",
        "75011",
        "FR",
        "",
        "",
        "",
        "fr",
    ),
    (
        "Brooklyn Sound Studio LLC",
        ClientKind.BUSINESS,
        "45 Main St",
        "Brooklyn",
        "",
        "11201",
        "US",
        "",
        "",
        "",
        "en",
    ),
    (
        "Sophie Lapointe",
        ClientKind.INDIVIDUAL,
        "88, av. des Pins",
        "Gatineau",
        "QC",
        "J8X 2B4",
        "CA",
        "",
        "",
        "",
        "fr",
    ),
]


def load_small(staff: User) -> list[Client]:
    clients = []
    for name, kind, street, city, prov, postal, country, gst, qst, neq, lang in SMALL:
        clients.append(
            services.client_create(
                acting_user=staff,
                legal_name=name,
                kind=kind,
                street=street,
                city=city,
                province=prov,
                postal_code=postal,
                country=country,
                gst_number=gst,
                qst_number=qst,
                neq=neq,
                language=lang,
            )
        )
    services.client_contact_add(
        client=clients[0],
        acting_user=staff,
        name="Nathalie Roy",
        title="Directrice artistique",
        email="nathalie.roy@courte-echelle.example",
        language="fr",
        portal_access=True,
        password="maille-demo",  # noqa: S106 — published demo login
    )
    services.client_contact_add(
        client=clients[3],
        acting_user=staff,
        name="Jordan Smith",
        title="Producer",
        email="jordan@northernlights.example",
        language="en",
    )
    return clients


_PROVINCES = ["QC"] * 14 + ["ON"] * 3 + ["NB", "NS", "AB", "BC", "MB"]
_WORDS = [
    "Studio",
    "Atelier",
    "Groupe",
    "Productions",
    "Éditions",
    "Conseil",
    "Solutions",
    "Média",
    "Créations",
    "Services",
]
_NAMES = [
    "Boréal",
    "Laurentides",
    "Fleuve",
    "Érable",
    "Outaouais",
    "Gaspésie",
    "Nordik",
    "Horizon",
    "Mauricie",
    "Cap-Rouge",
    "Bellechasse",
    "Kamouraska",
    "Charlevoix",
]


def _business_number(rng: random.Random) -> str:
    """Nine digits with the business number's Luhn check digit."""
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return digits + luhn.calc_check_digit(digits)


def generate(*, count: int, seed: int, progress: Callable[[int, int], None] | None = None) -> None:
    rng = random.Random(seed + 1)  # noqa: S311 — demo data, not security
    batch = 5000
    for start in range(0, count, batch):
        n = min(batch, count - start)
        rows = []
        for i in range(n):
            abroad = rng.random() < 0.03
            province = "" if abroad else rng.choice(_PROVINCES)
            rows.append(
                Client(
                    legal_name=f"{rng.choice(_WORDS)} {rng.choice(_NAMES)} {start + i:06d} inc.",
                    kind=rng.choice(
                        [ClientKind.BUSINESS] * 6 + [ClientKind.PUBLIC, ClientKind.INDIVIDUAL]
                    ),
                    city="Paris" if abroad else "Montréal",
                    province=province,
                    postal_code="75001"
                    if abroad
                    else f"H{rng.randint(1, 9)}A {rng.randint(1, 9)}B{rng.randint(1, 9)}",
                    country="FR" if abroad else "CA",
                    gst_number="" if abroad else f"{_business_number(rng)}RT0001",
                    language="fr" if province == "QC" or abroad else "en",
                )
            )
        with transaction.atomic():
            Client.objects.bulk_create(rows)
        if progress:
            progress(start + n, count)
