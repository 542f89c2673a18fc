"""First-day journeys in a real Chromium, on a 390 px phone screen, French by
default and each once more in English (issue 10):

a member creates a client and a quote; staff validate and send it; the client
accepts through the link; the invoice is made, issued and its PDF downloaded;
the client's contact sees it in the portal; another member and another
client's contact get 404 on it.

Every page is checked: no console error, no server error, no string of the
other language left untranslated, no horizontal scroll at 390 px.

Needs Debian's Chromium (``/usr/bin/chromium``); skipped where it is absent.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maille.core.models import Role, User
from maille.tests_support import factories
from maille.tests_support.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

PHONE = {"width": 390, "height": 844}
# 12,5 h × 80 $ = 1 000 $, with GST and QST.
TOTAL = {"fr": "1 149,75 $", "en": "$1,149.75"}


def _plain(text: str) -> str:
    """Text with its non-breaking spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


ROOT = Path(__file__).resolve().parents[2]


def _catalog_pairs() -> list[tuple[str, str]]:
    """(English, French) of every translated sentence of the project's catalogs."""
    from babel.messages.pofile import read_po

    pairs = []
    for po in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po"):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if not isinstance(message.id, str) or not isinstance(message.string, str):
                    continue
                english, french = message.id, message.string
                pairs.append((english, french))
    return pairs


def _telltales(pairs: list[tuple[str, str]], language: str) -> list[str]:
    """Sentences of the other language that must not show on a page: whole
    sentences (four words or more, no placeholder) that differ between the
    two languages."""
    other = [
        english if language == "fr" else french for english, french in pairs if english != french
    ]
    return sorted(
        {
            text
            for text in other
            if len(text.split()) >= 4 and "%" not in text and "{" not in text and "\n" not in text
        }
    )


class Browser:
    """One person's browser: every page it shows is checked."""

    def __init__(self, context: Any, language: str, telltales: list[str]) -> None:
        self.context = context
        self.language = language
        self.telltales = telltales
        self.page = context.new_page()
        self.console_errors: list[str] = []
        self.server_errors: list[str] = []
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.on(
            "response",
            lambda r: self.server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )

    def check(self) -> None:
        page = self.page
        page.wait_for_load_state()
        url = page.url
        assert self.server_errors == [], self.server_errors
        assert self.console_errors == [], f"{url}: {self.console_errors}"
        lang = page.locator("html").get_attribute("lang") or ""
        assert lang.startswith(self.language), f"{url}: lang={lang}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url}: the page is {width} px wide at 390 px"
        text = " ".join(page.locator("body").inner_text().split())
        leaked = [t for t in self.telltales if t in text]
        assert leaked == [], f"{url}: untranslated: {leaked}"

    def go(self, path: str) -> None:
        self.page.goto(path)
        self.check()

    def click(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.check()

    def login(self, email: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", PASSWORD)
        self.click("form button[type=submit] >> nth=-1")

    def status(self, path: str) -> int:
        return int(self.context.request.get(path).status)


@pytest.fixture(autouse=True)
def _posted_entries_removed_after(transactional_db: None) -> Iterator[None]:
    """The journey posts to the ledger, whose SQLite triggers refuse the DELETE
    that ends a transactional test (PostgreSQL's TRUNCATE does not fire them):
    remove its rows past the triggers, then put the triggers back."""
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = import_module("maille.ledger.migrations.0003_ledger_triggers")
    names = ("ledger_journalline_no_delete", "ledger_journalentry_no_delete")
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DELETE FROM ledger_journalline")
        cursor.execute("DELETE FROM ledger_journalentry")
        for statement in triggers.SQLITE:
            if any(name in statement for name in names):
                cursor.execute(statement)


@pytest.fixture
def browser(live_server: Any, monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )

        def open_as(language: str) -> Browser:
            context = chromium.new_context(
                locale="fr-CA", base_url=live_server.url, viewport=PHONE, accept_downloads=True
            )
            # The language a visitor chose (the button at the top right sets this cookie).
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            return Browser(context, language, _telltales(_catalog_pairs(), language))

        yield open_as
        chromium.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_from_a_new_client_to_an_invoice_in_the_clients_portal(
    browser, language, camille, camille_activity, jerome, sylvie
):
    # The member opens the app on her phone, menu reachable, and creates a client.
    member = browser(language)
    member.login("camille@maille.test")
    menu = member.page.locator("details.dropdown summary")
    menu.click()
    assert member.page.locator("form[action$='/logout/'] button").is_visible()
    member.page.keyboard.press("Escape")
    member.go("/clients/new/")
    page = member.page
    page.fill("input[name=legal_name]", "Librairie du Quartier inc.")
    page.select_option("select[name=province]", "QC")
    page.fill("input[name=postal_code]", "h2t 1s4")
    page.fill("input[name=city]", "Montréal")
    member.click("main form button[type=submit]")
    client_url = page.url
    assert re.search(r"/clients/\d+/$", client_url)
    client_pk = int(client_url.rstrip("/").rsplit("/", 1)[1])
    # She adds the contact the quote will be emailed to.
    page.locator("main details:has(form[action$='/contacts/']) summary").click()
    page.fill("form[action$='/contacts/'] input[name=name]", "Léa Fortin")
    page.fill("form[action$='/contacts/'] input[name=email]", "lea@quartier.test")
    member.click("form[action$='/contacts/'] button[type=submit]")

    # "New quote" is one click from the client; the form shows the totals as she types.
    member.click(f"a[href='/quotes/new/?client={client_pk}']")
    page.fill("input[name=title]", "Affiches de la rentrée")
    page.fill("input[name=lines-0-description]", "Illustration d'affiche")
    page.fill("input[name=lines-0-quantity]", "12,5" if language == "fr" else "12.5")
    page.fill("input[name=lines-0-unit_price]", "80")
    page.locator("#totals").get_by_text(
        "1 149,75 $" if language == "fr" else "$1,149.75", exact=False
    ).wait_for()
    member.click("#quote-form button[type=submit]:not([name])")
    quote_url = page.url
    assert re.search(r"/quotes/\d+/$", quote_url)
    quote_pk = int(quote_url.rstrip("/").rsplit("/", 1)[1])
    member.click("form[action$='/submit/'] button")

    # Staff validate and email it.
    staff = browser(language)
    staff.login("sylvie@maille.test")
    staff.go("/")
    staff.go(f"/quotes/{quote_pk}/")
    staff.click("form[action$='/validate/'] button")
    staff.click("form[action$='/send/'] button")
    link = staff.page.locator("main input[readonly]").input_value()
    assert "/q/" in link

    # The client accepts through the link, without an account.
    client = browser(language)
    client.go(link)
    assert TOTAL[language] in _plain(client.page.locator("main").inner_text())
    client.page.fill("input[name=signer_name]", "Léa Fortin")
    client.page.fill("input[name=signer_role]", "Propriétaire")
    client.click("button[name=decision][value=accepted]")

    # The member makes the invoice; staff issue it and download its PDF.
    member.go(f"/quotes/{quote_pk}/")
    member.click(f"a[href='/invoices/from-quote/{quote_pk}/']")
    member.click("main form button[type=submit]")
    invoice_url = member.page.url
    invoice_pk = int(invoice_url.rstrip("/").rsplit("/", 1)[1])
    staff.go(f"/invoices/{invoice_pk}/")
    staff.click("form[action$='/issue/'] button")
    pdf = staff.context.request.get(f"/invoices/{invoice_pk}/pdf/")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    staff.go("/invoices/")

    # Léa gets a portal login; she sees the invoice and the quote there.
    from maille.clients.models import ClientContact

    lea = ClientContact.objects.get(email="lea@quartier.test")
    lea.user = User.objects.create_user(lea.email, PASSWORD, first_name="Léa", role=Role.CLIENT)
    lea.save(update_fields=["user"])
    contact = browser(language)
    contact.login("lea@quartier.test")
    contact.go("/portal/")
    assert TOTAL[language] in _plain(contact.page.locator("main").inner_text())
    assert contact.status(f"/portal/invoices/{invoice_pk}/pdf/") == 200
    assert contact.status(f"/portal/quotes/{quote_pk}/pdf/") == 200

    # Another member and another client's contact get 404 on all of it.
    other = browser(language)
    other.login("jerome@maille.test")
    for path in (
        f"/quotes/{quote_pk}/",
        f"/invoices/{invoice_pk}/",
        f"/invoices/{invoice_pk}/pdf/",
    ):
        assert other.status(path) == 404, path
    stranger_contact = factories.ClientContactFactory(
        client=factories.ClientFactory(legal_name="Autre inc."),
        email="autre@autre.test",
        portal=True,
    )
    assert stranger_contact.user is not None
    stranger = browser(language)
    stranger.login("autre@autre.test")
    for path in (f"/portal/invoices/{invoice_pk}/pdf/", f"/portal/quotes/{quote_pk}/pdf/"):
        assert stranger.status(path) == 404, path
    stranger.go("/portal/")
    assert "Librairie" not in stranger.page.content()
    # The 404 page itself is the app's own, in the visitor's language.
    stranger.page.goto(f"/invoices/{invoice_pk}/")
    assert stranger.page.locator("h1").inner_text() in ("Page introuvable", "Page not found")
