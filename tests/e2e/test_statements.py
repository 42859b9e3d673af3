"""The footer's statements in a real browser: reached from a learner's page and in the
language the reader switches to, read with a screen reader's view of the page, and free of
WCAG 2.1 A/AA violations as axe-core sees them."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_in

LEARNER = "medewerker@voorbeeldstad.example"


def test_a_learner_opens_both_statements_from_the_footer(page, demo_site):
    log_in(page, LEARNER)
    page.goto("/leren/")
    footer = page.get_by_role("navigation", name="Verklaringen")

    footer.get_by_role("link", name="Privacyverklaring").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    expect(page.locator("main")).to_contain_text("Laatst gecontroleerd op 3 december 2026.")
    assert_no_axe_violations(page)

    page.get_by_role("navigation", name="Verklaringen").get_by_role(
        "link", name="Toegankelijkheidsverklaring"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.get_by_role("heading", name="Nalevingsstatus")).to_be_visible()
    assert_no_axe_violations(page)


def test_an_anonymous_visitor_reads_the_statements_without_signing_in(page, demo_site):
    page.goto("/accounts/login/")

    page.get_by_role("navigation", name="Verklaringen").get_by_role(
        "link", name="Toegankelijkheidsverklaring"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    assert_no_axe_violations(page)


def test_a_reader_who_switches_language_reads_the_statements_in_it(page, demo_site):
    page.goto("/accounts/login/")
    page.get_by_role("navigation", name="Verklaringen").get_by_role(
        "link", name="Privacyverklaring"
    ).click()

    # The language switch leads to the same statement in German, and the footer follows.
    page.get_by_role("button", name="Deutsch").click()

    expect(page).to_have_url(re.compile(r"/de/datenschutzerklaerung/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutzerklärung")
    expect(page.get_by_role("heading", name="Wer was sieht")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Zuletzt geprüft am 3. Dezember 2026.")
    assert_no_axe_violations(page)
    page.get_by_role("navigation", name="Erklärungen").get_by_role(
        "link", name="Erklärung zur Barrierefreiheit"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    expect(page.get_by_role("heading", name="Durchsetzungsverfahren")).to_be_visible()

    page.get_by_role("button", name="English").click()

    expect(page).to_have_url(re.compile(r"/en/accessibility-statement/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_role("heading", name="Compliance status")).to_be_visible()
    assert_no_axe_violations(page)
