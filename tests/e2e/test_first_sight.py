"""What each person of the demo sees first after signing in, as the README's table of demo
logins promises, at a laptop's 1280 and a phone's 320 CSS pixels. With VAARDIG_SCREENSHOTS
set to a folder the pages are kept there as pictures for a person to judge."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from wagtail.admin.userbar import AccessibilityItem

from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.test_homes import _screenshot

WIDTHS = (1280, 320)
# The rules of the accessibility checker in Wagtail's user bar (also beyond WCAG's tags).
WAGTAIL_RULES = [
    rule
    for rule in AccessibilityItem.axe_run_only
    if rule not in ("alt-text-quality", "empty-meta-description")  # Wagtail's own rules
]


def _at_both_widths(page, name):
    """The page at each width: nothing scrolls sideways, and a picture when asked for."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width}"
        _screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_employee_sees_first_what_is_due_her_module_in_progress_and_her_targets(
    page, demo_site
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "medewerker@voorbeeldstad.example")

    expect(page).to_have_url(re.compile(r"/$"))
    sections = page.locator("main section h2").all_inner_texts()
    # What is due first; where she stands beside it on a laptop, below it on a phone.
    assert sections[:3] == ["Te doen", "Waar je staat", "Bezig"], sections
    due = page.locator("section[aria-labelledby=due-heading] li").first
    expect(due).to_contain_text("Te laat")
    expect(page.locator("section[aria-labelledby=standing-heading]")).to_contain_text(
        re.compile(r"\d+ van \d+ doelen gehaald")
    )
    assert_no_axe_violations(page)
    _at_both_widths(page, "home-employee")

    # Her notifications: on the home, and their own page.
    recent = page.locator("section[aria-labelledby=notifications-heading]")
    recent.get_by_role("link", name="Alle meldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    assert_no_axe_violations(page)
    _at_both_widths(page, "notifications-employee")


def test_the_manager_sees_first_his_own_home_with_his_team_summed_up(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "leidinggevende@voorbeeldstad.example")

    expect(page).to_have_url(re.compile(r"/$"))
    team = page.locator("section[aria-labelledby=team-heading]")
    expect(team).to_contain_text("onder een doel")
    expect(team).to_contain_text("met te late training")
    expect(page.locator("section[aria-labelledby=due-heading]")).to_be_visible()
    assert_no_axe_violations(page)
    _at_both_widths(page, "home-manager")

    team.get_by_role("link", name="Bekijk wie aandacht nodig heeft").click()
    expect(page).to_have_url(re.compile(r"/leren/team/\?attention=on&sort=gap$"))
    expect(page.get_by_label("Alleen onder een doel of te laat")).to_be_checked()


def test_the_cdo_lands_on_the_dashboard_and_keeps_his_learning_on_the_home(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "cdo@voorbeeldstad.example")

    expect(page).to_have_url(re.compile(r"/leren/dashboard/$"))
    expect(page.get_by_role("link", name="Downloaden voor een vergadering (pdf)")).to_be_visible()
    _at_both_widths(page, "home-cdo-dashboard")

    # On a phone the months of each directorate scroll in their box, the names stay put.
    page.set_viewport_size({"width": 320, "height": 900})
    box = page.locator("section[aria-labelledby=directorates-heading] .table-box")
    name = box.locator("tbody th").nth(1)
    month = box.locator("thead th").nth(1)
    name_x, month_x = name.bounding_box()["x"], month.bounding_box()["x"]
    box.evaluate("element => element.scrollLeft = 200")
    page.wait_for_function(
        "document.querySelector('section[aria-labelledby=directorates-heading] .table-box')"
        ".scrollLeft > 0"
    )
    assert month.bounding_box()["x"] < month_x - 100
    assert abs(name.bounding_box()["x"] - name_x) < 2
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page.locator("section[aria-labelledby=due-heading]")).to_be_visible()
    _at_both_widths(page, "home-cdo")


def test_hr_sees_her_own_home_and_the_admin_opens_on_her_dashboard(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "hr@voorbeeldstad.example")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hallo")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Beheer")).to_be_visible()
    # Staff see Wagtail's user bar, whose accessibility checker runs these rules on the page
    # too: it finds nothing to flag on her home either.
    wagtail_checks = Axe().run(page, options={"runOnly": {"type": "rule", "values": WAGTAIL_RULES}})
    assert wagtail_checks.violations_count == 0, wagtail_checks.generate_report()
    _at_both_widths(page, "home-hr")

    menu.get_by_role("link", name="Beheer").click()
    panel = page.locator("#vaardig-organisations-section, #vaardig-organisations").first
    expect(panel).to_contain_text("Gemeente Voorbeeldstad")
    _at_both_widths(page, "admin-hr")

    # On a laptop beside the menu (below Wagtail's 75em) each figure stays under its heading.
    for width in (1024,):
        page.set_viewport_size({"width": width, "height": 900})
        table = panel.locator("table")
        heading = table.locator("thead th").nth(2)  # overdue or expired training
        figure = table.locator("tbody tr").first.locator("td").nth(1)
        # Asked once the table is laid out at the new width (the sidebar folds in a
        # transition); a figure that never comes under its heading times out.
        page.wait_for_function(
            "([h, f]) => Math.abs(h.getBoundingClientRect().x - f.getBoundingClientRect().x) < 2",
            arg=[heading.element_handle(), figure.element_handle()],
            timeout=5000,
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_trainer_and_the_content_lead_open_the_admin_on_what_they_may_edit_in_dutch(
    page, demo_site
):
    for email in ("trainer@voorbeeldstad.example", "contentlead@voorbeeldstad.example"):
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, email)
        page.goto("/")
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        menu.get_by_role("link", name="Beheer").click()

        summary = page.get_by_role("region").filter(
            has=page.get_by_role("heading", name="Site samenvatting")
        )
        expect(summary.get_by_role("link", name=re.compile(r"^\d+ Pagina's"))).to_be_visible()
        expect(summary.get_by_role("link", name=re.compile(r"^\d+ Mediabestand"))).to_be_visible()
        expect(summary).not_to_contain_text("Media file")
        _screenshot(page, f"admin-{email.split('@')[0]}-1280")
