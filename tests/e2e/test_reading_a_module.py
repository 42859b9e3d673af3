import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_in

LEARNER = "medewerker@voorbeeldstad.example"


def test_an_employee_finds_a_module_and_reads_a_lesson(page, demo_site):
    page.goto("/")
    page.get_by_role("link", name="Inloggen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    log_in(page, LEARNER)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Catalogus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogus")
    page.get_by_role("searchbox", name="Zoeken").fill("phishing")
    page.get_by_role("button", name="Zoeken").click()
    # The search reads every language of a module: another module's translation may mention
    # phishing too; the phishing module is among the results.
    expect(page.locator(".results-count")).to_have_text(re.compile(r"^\s*[1-9]\d* modules?\s*$"))

    page.get_by_role("link", name="Phishing herkennen en veilig e-mailen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Phishing herkennen en veilig e-mailen"
    )
    expect(page.locator(".lesson-list li")).to_have_count(4)

    page.locator(".lesson-list a").first.click()
    expect(page.get_by_text("Les 1 van 4")).to_be_visible()
    expect(page.get_by_role("group").first).to_be_visible()  # a knowledge check

    page.get_by_role("link", name=re.compile("Volgende les")).click()
    expect(page.get_by_text("Les 2 van 4")).to_be_visible()
    expect(page.get_by_role("navigation", name="Kruimelpad")).to_contain_text("Catalogus")


def test_the_learners_pages_have_no_wcag_violations(page, demo_site):
    page.goto("/")
    assert_no_axe_violations(page)
    page.goto("/accounts/login/")
    assert_no_axe_violations(page)

    log_in(page, LEARNER)
    for path in (
        "/catalogus/",
        "/catalogus/?query=zzzz",
        "/catalogus/phishing-herkennen/",
        "/catalogus/phishing-herkennen/wat-is-phishing/",
        "/account/",
    ):
        page.goto(path)
        assert_no_axe_violations(page)


def test_the_site_works_on_a_narrow_phone_screen(page, demo_site):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(page, LEARNER)
    page.goto("/catalogus/phishing-herkennen/wat-is-phishing/")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_no_axe_violations(page)


def test_the_skip_link_is_the_first_stop_of_the_keyboard(page, demo_site):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de hoofdinhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
