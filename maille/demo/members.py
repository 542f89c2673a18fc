"""Demo data for members and activities: a small realistic co-op, and a large
deterministic data set for benchmarks (``maille demo --members N``)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from stdnum import luhn

from maille.core.models import Language, Role, User
from maille.members import services
from maille.members.models import Activity, Member, MemberStatus, MemberStatusChange

DEMO_PASSWORD = "maille-demo"  # noqa: S105 — published demo login, embedded mode only

FIRST_NAMES = [
    "Camille",
    "Jérôme",
    "Élise",
    "Mathieu",
    "Léa",
    "Olivier",
    "Chloé",
    "Gabriel",
    "Noémie",
    "Félix",
    "Rosalie",
    "Samuel",
    "Florence",
    "Antoine",
    "Maude",
    "Étienne",
    "Juliette",
    "Xavier",
    "Béatrice",
    "Louis",
    "Amélie",
    "Raphaël",
    "Geneviève",
    "Thomas",
    "Océane",
    "Nicolas",
    "Sophie",
    "Vincent",
    "Marie-Ève",
    "Alexandre",
    "Aïcha",
    "Karim",
    "Mei",
    "Tran",
]
LAST_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Nguyen",
    "Benali",
    "St-Pierre",
]
CITIES = [
    ("Montréal", "QC", "H2T"),
    ("Québec", "QC", "G1R"),
    ("Sherbrooke", "QC", "J1H"),
    ("Gatineau", "QC", "J8X"),
    ("Trois-Rivières", "QC", "G9A"),
    ("Saguenay", "QC", "G7H"),
    ("Rimouski", "QC", "G5L"),
    ("Ottawa", "ON", "K1N"),
    ("Moncton", "NB", "E1C"),
]
TRADES = [
    "Illustration",
    "Traduction",
    "Photographie",
    "Montage vidéo",
    "Conception Web",
    "Formation",
    "Graphisme",
    "Rédaction",
    "Son et musique",
    "Design d'intérieur",
    "Animation d'ateliers",
    "Développement logiciel",
    "Scénographie",
    "Accompagnement",
]


def valid_sin(rng: random.Random) -> str:
    """A SIN with a valid Luhn check digit, starting with 1 (Atlantic) to 7."""
    digits = str(rng.randint(1, 7)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return digits + luhn.calc_check_digit(digits)


def load_small(staff: User) -> None:
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    people = [
        ("camille@exemple.ca", "Camille", "Tremblay", "fr", MemberStatus.ACTIVE, 0),
        ("jerome@exemple.ca", "Jérôme", "Gagnon", "fr", MemberStatus.ACTIVE, 1),
        ("mei@exemple.ca", "Mei", "Nguyen", "en", MemberStatus.ACTIVE, 7),
        ("felix@exemple.ca", "Félix", "Côté", "fr", MemberStatus.APPLICANT, 2),
        ("rosalie@exemple.ca", "Rosalie", "Bouchard", "fr", MemberStatus.SUSPENDED, 3),
        ("karim@exemple.ca", "Karim", "Benali", "fr", MemberStatus.WITHDRAWN, 4),
    ]
    members: dict[str, Member] = {}
    for email, first, last, lang, status, city_index in people:
        city, province, fsa = CITIES[city_index]
        member = services.member_create(
            email=email,
            first_name=first,
            last_name=last,
            language=lang,
            password=DEMO_PASSWORD,
            acting_user=staff,
            status=MemberStatus.APPLICANT,
            applied_on=dt.date(2024, 11, 15) if status != MemberStatus.APPLICANT else None,
            phone=f"514-555-{rng.randint(1000, 9999)}",
            street=f"{rng.randint(10, 9999)}, rue {rng.choice(LAST_NAMES)}",
            city=city,
            province=province,
            postal_code=f"{fsa} {rng.randint(1, 9)}A{rng.randint(1, 9)}",
            employment_start=dt.date(2021 + rng.randint(0, 4), rng.randint(1, 12), 1),
            sin=valid_sin(rng),
            bank_account=f"815-{rng.randint(10000, 99999)}-{rng.randint(1000000, 9999999)}",
        )
        if status != MemberStatus.APPLICANT:
            if status != MemberStatus.ACTIVE:
                services.member_set_status(
                    member=member,
                    status=MemberStatus.ACTIVE,
                    acting_user=staff,
                    effective_date=dt.date(2025, 1, 15),
                    reason="Admission par le CA",
                )
            services.member_set_status(
                member=member,
                status=status,
                acting_user=staff,
                effective_date=dt.date(2026, 3, 1),
                reason={
                    "active": "Admission par le CA",
                    "suspended": "Parts non payées",
                    "withdrawn": "Démission",
                }[status],
            )
        members[email] = Member.objects.get(pk=member.pk)
    camille, jerome, mei = (
        members[e] for e in ("camille@exemple.ca", "jerome@exemple.ca", "mei@exemple.ca")
    )
    services.activity_create(
        name="Illustration jeunesse",
        owners=[camille],
        acting_user=staff,
        start_date=dt.date(2026, 1, 5),
        description="Albums et affiches pour éditeurs québécois.",
    )
    services.activity_create(
        name="Ateliers de dessin",
        owners=[camille],
        acting_user=staff,
        start_date=dt.date(2026, 2, 1),
    )
    services.activity_create(
        name="Traduction technique",
        owners=[jerome],
        acting_user=staff,
        start_date=dt.date(2025, 9, 1),
    )
    services.activity_create(
        name="Collectif Documentaire Fleuve",
        owners=[camille, mei],
        acting_user=staff,
        start_date=dt.date(2026, 4, 1),
        description="Activité collective : un documentaire à deux.",
    )
    old = services.activity_create(
        name="Photographie de mariage",
        owners=[mei],
        acting_user=staff,
        start_date=dt.date(2025, 5, 1),
    )
    services.activity_close(activity=old, acting_user=staff, end_date=dt.date(2025, 10, 31))


def generate(
    *, count: int, seed: int, progress: Callable[[int, int], None] | None = None
) -> list[int]:
    """``count`` synthetic members, each with one activity, in bulk. Returns member ids."""
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    password = make_password(DEMO_PASSWORD)
    statuses = [MemberStatus.ACTIVE] * 8 + [
        MemberStatus.APPLICANT,
        MemberStatus.SUSPENDED,
        MemberStatus.WITHDRAWN,
    ]
    prefix = f"gen{seed}-"
    if User.objects.filter(email__startswith=prefix).exists():
        raise ValueError(f"members for seed {seed} already exist")
    member_ids: list[int] = []
    batch = 2000
    next_number = services.next_member_number(count)
    next_activity = services.next_activity_number(count)
    for start in range(0, count, batch):
        n = min(batch, count - start)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"{prefix}{start + i:06d}@demo.maille.coop",
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        role=Role.MEMBER,
                        language=Language.FRENCH if rng.random() < 0.85 else Language.ENGLISH,
                        password=password,
                    )
                    for i in range(n)
                ]
            )
            members = []
            for user in users:
                city, province, fsa = rng.choice(CITIES)
                members.append(
                    Member(
                        user=user,
                        number=f"M{next_number:06d}",
                        status=rng.choice(statuses),
                        city=city,
                        province=province,
                        postal_code=f"{fsa} {rng.randint(1, 9)}B{rng.randint(1, 9)}",
                        employment_start=dt.date(2015 + rng.randint(0, 11), rng.randint(1, 12), 1),
                        sin=valid_sin(rng),
                    )
                )
                next_number += 1
            # bulk_create goes through get_prep_value: the SIN is encrypted.
            members = Member.objects.bulk_create(members)
            # As member_set_status does: a withdrawn member cannot log in.
            User.objects.filter(
                pk__in=[m.user_id for m in members if m.status == MemberStatus.WITHDRAWN]
            ).update(is_active=False)
            MemberStatusChange.objects.bulk_create(
                [
                    MemberStatusChange(
                        member=m,
                        status=m.status,
                        effective_date=dt.date(2026, 1, 1),
                        reason="Données de démonstration",
                    )
                    for m in members
                ]
            )
            activities = Activity.objects.bulk_create(
                [
                    Activity(
                        code=f"A{next_activity + i:06d}",
                        name=rng.choice(TRADES),
                        start_date=dt.date(2026, 1, 1),
                    )
                    for i in range(len(members))
                ]
            )
            next_activity += len(members)
            Through = Activity.owners.through
            Through.objects.bulk_create(
                [
                    Through(activity_id=a.pk, member_id=m.pk)
                    for a, m in zip(activities, members, strict=True)
                ]
            )
        member_ids.extend(m.pk for m in members)
        if progress:
            progress(start + n, count)
    return member_ids
