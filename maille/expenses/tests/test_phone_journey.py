"""On a 390 px phone in Chromium: a member snaps a receipt and sends the claim, logs a
trip; staff approve it from the queue; another member gets 404 on it and its receipt.
Every page checked like the first-day journeys (no server or console error, no
untranslated sentence, no horizontal scroll)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from maille.expenses.models import ClaimStatus, ExpenseClaim
from maille.expenses.tests.helpers import png
from maille.payroll.tests.helpers import fund
from maille.web.tests.test_journeys import (  # noqa: F401 (fixtures)
    _posted_entries_removed_after,
    browser,
    pytestmark,
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_receipt_from_the_phone_to_approval(
    browser,  # noqa: F811 (the journeys fixture)
    language,
    camille,
    camille_activity,
    jerome,
    sylvie,
    tmp_path,
):
    fund(camille_activity, "1000.00", date=timezone.localdate())
    receipt = tmp_path / "IMG_0042.jpg"  # a PNG under a photo's name: the content decides
    receipt.write_bytes(png((300, 400)))
    today = timezone.localdate().isoformat()

    member = browser(language)
    member.login("camille@maille.test")
    member.go("/depenses/")
    member.click("a[href='/depenses/nouvelle/']")
    page = member.page
    page.set_input_files("input[name=receipt]", str(receipt))
    page.fill("input[name=date]", today)
    page.fill("input[name=supplier]", "Papeterie Saint-Denis")
    page.select_option("select[name=category]", "materials")
    page.fill("input[name=amount]", "114,98" if language == "fr" else "114.98")
    page.fill("input[name=supplier_gst_number]", "123456782 RT0001")
    page.fill("input[name=supplier_qst_number]", "1234567890 TQ0001")
    member.click("main form button[type=submit]")
    assert re.search(r"/depenses/\d+/$", page.url), page.url
    claim = ExpenseClaim.objects.get()
    # The taxes were proposed from the amount; the receipt shows beside the claim.
    assert (str(claim.gst_hst), str(claim.qst)) == ("5.00", "9.98")
    image = page.locator(f"img[src='/depenses/justificatifs/{claim.receipt_id}/']")
    assert image.is_visible()
    assert page.evaluate("document.querySelector('main img').naturalWidth") == 300

    # A trip without its purpose is refused with the field named; with it, logged.
    member.go("/depenses/kilometrage/nouveau/")
    page.fill("input[name=date]", today)
    page.fill("input[name=km]", "42")
    page.fill("input[name=origin]", "Montréal")
    page.fill("input[name=destination]", "Laval")
    member.click("main form button[type=submit]")
    assert page.locator("input[name=purpose][aria-invalid=true]").count() == 1
    page.fill("input[name=purpose]", "Rencontre client")
    member.click("main form button[type=submit]")
    member.go("/depenses/")
    assert "Laval" in page.locator("main").inner_text()

    # Staff approve the receipt claim from the queue, with its totals.
    staff = browser(language)
    staff.login("sylvie@maille.test")
    staff.go("/depenses/a-approuver/")
    staff.page.check(f"input[name=claim][value='{claim.pk}']")
    staff.click("main form button[type=submit]")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED

    # Another member: 404 on the claim and on its receipt.
    other = browser(language)
    other.login("jerome@maille.test")
    assert other.status(f"/depenses/{claim.pk}/") == 404
    assert other.status(f"/depenses/justificatifs/{claim.receipt_id}/") == 404
