"""Every French catalog is complete, and each compiled .mo matches its .po.

(``bin/check-translations`` also extracts the strings from the code, so a new
string without its translation fails the static checks.)"""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

MAILLE = Path(__file__).resolve().parents[2]
CATALOGS = sorted(MAILLE.glob("**/locale/fr/LC_MESSAGES/django.po"))


def test_there_is_a_french_catalog():
    assert MAILLE / "locale/fr/LC_MESSAGES/django.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(MAILLE)))
def test_every_string_has_a_french_translation(po_path):
    with po_path.open("rb") as f:
        catalog = read_po(f)

    def translated(m):
        return m.string if isinstance(m.string, str) else all(m.string or ())

    assert [m.id for m in catalog if m.id and not translated(m)] == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(MAILLE)))
def test_the_compiled_catalog_is_up_to_date(po_path):
    def entries(messages):
        return {
            m.id if isinstance(m.id, str) else tuple(m.id): (
                # babel's read_mo may pad plural forms with an empty string
                m.string if isinstance(m.string, str) else tuple(x for x in m.string if x)
            )
            for m in messages
            if m.id
        }

    with po_path.open("rb") as f:
        po = entries(read_po(f))
    with po_path.with_suffix(".mo").open("rb") as f:
        mo = entries(read_mo(f))
    assert po == mo, "run: maille compilemessages -l fr"
