"""Browser journeys: Playwright drives Debian's Chromium against the live test server."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from wagtail.models import Collection, Locale, Page

from people.demo import DEMO_PASSWORD, demo_totp_code
from tests.factories import totp_window_fresh

# Playwright's sync API runs an event loop in the test thread; the test's own database work
# stays synchronous, so Django's guard against ORM calls inside an event loop is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    # Every journey starts a browser and loads the demo: slow, so not in the fast subset.
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, demo_database, settings):
    """The demo on the live server. The copy loaded once per test process is put in place
    (tests/database_copies.py, ``demo_database``); the live-server test empties the tables when it
    ends, and the next journey gets the demo afresh."""
    settings.MEDIA_ROOT, settings.PRIVATE_ROOT = demo_database.media, demo_database.private
    if demo_database.snapshot is not None:
        demo_database.snapshot.restore()
        return
    # Live-server tests empty every table afterwards, including the rows Wagtail's migrations
    # create (default locale, root page, root collection); put them back before the demo.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_root_nodes().exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.get_root_nodes().exists():
        Collection.add_root(name="Root")
    call_command("load_demo_data", "--quiet")


def log_in(page, email, password=DEMO_PASSWORD):
    page.context.clear_cookies()  # whoever was signed in before
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    # Each click posts a form: wait for its answer, or the next goto cancels it (and the
    # session cookie it sets) while the old page still counts as loaded.
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Inloggen").click()
    if "/2fa/authenticate/" in page.url:
        # Demo staff sign in with two factors: their app holds the demo secret.
        totp_window_fresh()
        page.locator("input[name=code]").fill(demo_totp_code())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    # A journey that starts signed out fails here, not three steps on at a missing link.
    assert "/accounts/login/" not in page.url and "/2fa/authenticate/" not in page.url, page.url


def assert_no_axe_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
