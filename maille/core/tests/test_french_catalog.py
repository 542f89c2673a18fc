"""The French catalog is complete, and the compiled .mo matches the .po."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES"


def test_every_string_has_a_french_translation():
    with (LOCALE / "django.po").open("rb") as f:
        catalog = read_po(f)
    missing = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []


def test_the_compiled_catalog_is_up_to_date():
    with (LOCALE / "django.po").open("rb") as f:
        po = {m.id: m.string for m in read_po(f) if m.id}
    with (LOCALE / "django.mo").open("rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    assert po == mo, "run: cd maille && maille compilemessages -l fr"
