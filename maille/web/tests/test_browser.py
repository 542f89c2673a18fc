"""End to end in a real Chromium: log in, French first, English one click away,
an invalid QST number explained in the page, htmx search.

Needs Debian's Chromium (``/usr/bin/chromium``); skipped where it is absent.
"""

import os
import shutil
from pathlib import Path

import pytest

from maille.tests_support.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    # A live server needs committed data; serialized_rollback restores the
    # migrations' rows (chart of accounts, COOP/FONDS) for the tests after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # of the test's fixtures are still synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="en-US", base_url=live_server.url)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield page
        context.close()
        browser.close()
        assert errors == [], f"browser console errors (CSP?): {errors}"


def login(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")


def test_a_member_works_in_french_then_switches_to_english(page, camille, client_qc):
    login(page, "camille@maille.test")
    assert page.locator("html").get_attribute("lang") == "fr-CA"
    assert "Bonjour" in page.locator("h1").inner_text()

    page.goto("/clients/new/")
    page.fill("input[name=legal_name]", "Studio Test inc.")
    page.select_option("select[name=province]", "QC")
    page.fill("input[name=qst_number]", "12345 TQ0001")
    page.locator("main form button[type=submit]").click()
    assert "Ce numéro de TVQ est mal formé" in page.content()

    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en-CA"
    assert "Add a client" in page.content()
    if os.environ.get("MAILLE_SCREENSHOTS"):
        page.screenshot(path=os.environ["MAILLE_SCREENSHOTS"] + "/client-form.png", full_page=True)


def test_staff_search_members_without_reloading_the_page(page, sylvie, camille, jerome):
    from playwright.sync_api import expect

    login(page, "sylvie@maille.test")
    page.goto("/members/")
    assert page.locator("#results tbody tr").count() == 2
    page.evaluate("window.__marker = 42")
    page.fill("#q", "Jérôme")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "Gagnon" in page.locator("#results").inner_text()
    assert page.evaluate("window.__marker") == 42  # same page: htmx swapped the fragment
