"""The footer's statements in a real browser: reached from a learner's page, read with a
screen reader's view of the page, and free of WCAG 2.1 A/AA violations as axe-core sees them."""

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
