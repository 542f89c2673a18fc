"""On a 390 px phone in Chromium: staff prepare the annual meeting and the board
calls it (the notice of the by-laws checked), open a vote, read a member's
shares; a member who is not a director gets 404 on the board's pages. Every
page checked like the first-day journeys (no server or console error, no
untranslated sentence, no horizontal scroll)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maille.governance.models import Meeting, MeetingStatus
from maille.governance.tests.helpers import board, with_shares
from maille.web.tests.test_journeys import (  # noqa: F401 (fixtures)
    _posted_entries_removed_after,
    browser,
    pytestmark,
)


@pytest.fixture(autouse=True)
def _share_movements_removed_first(_posted_entries_removed_after):  # noqa: F811
    """The journeys' clean-up removes the ledger's rows past its triggers: the
    share movements that point to those entries go first (torn down before it)."""
    yield
    from maille.governance.models import ShareMovement

    ShareMovement.objects.all().delete()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_board_prepares_and_calls_the_annual_meeting(
    browser,  # noqa: F811 (the journeys fixture)
    language,
    camille,
    jerome,
    sylvie,
):
    board(with_shares(jerome, sylvie))
    with_shares(camille, sylvie)
    today = timezone.localdate()
    day = today + dt.timedelta(days=40)

    staff = browser(language)
    staff.login("sylvie@maille.test")
    staff.go("/gouvernance/assemblees/")
    staff.click("a[href='/gouvernance/assemblees/nouvelle/']")
    page = staff.page
    page.select_option("select[name=kind]", "annual")
    page.fill("input[name=starts_at]", f"{day.isoformat()}T18:30")
    page.fill("input[name=place]", "Salle commune, 1234 rue Saint-Denis")
    page.fill("input[name=fiscal_year_end]", dt.date(today.year - 1, 12, 31).isoformat())
    page.fill("textarea[name=agenda]", "1. États financiers\n2. Élections")
    page.fill("textarea[name=report]", "Rapport du conseil")
    staff.click("main form button[type=submit]")
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/gouvernance/assemblees/{meeting.pk}/")

    # The call is dated today (no date to type); forty days' notice: called.
    assert page.locator("input[name=called_on]").count() == 0
    page.fill("input[name=decision_date]", today.isoformat())
    page.fill("textarea[name=decision_text]", "Le conseil convoque l'AGA.")
    page.check(f"input[name=directors_present][value='{jerome.pk}']")
    staff.click("form[action$='/call/'] button")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CALLED

    staff.go("/gouvernance/scrutins/nouveau/")
    staff.go(f"/gouvernance/registre/{camille.pk}/")
    assert camille.number in page.locator("main").inner_text()

    member = browser(language)
    member.login("camille@maille.test")
    member.go(f"/gouvernance/assemblees/{meeting.pk}/")
    for path in (
        "/gouvernance/assemblees/nouvelle/",
        "/gouvernance/scrutins/nouveau/",
        f"/gouvernance/registre/{jerome.pk}/",
    ):
        assert member.status(path) == 404, path
