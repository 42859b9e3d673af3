"""Where everyone stands, as the demo's employee and manager see it in a browser: the home
after signing in, the team matrix, and every learner, manager and CDO page at 320 CSS
pixels."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from content.models import LessonPage, ModulePage
from people.models import Employee
from tests.e2e.conftest import assert_no_axe_violations, log_in

EMPLOYEE = "medewerker@voorbeeldstad.example"
MANAGER = "leidinggevende@voorbeeldstad.example"
CDO = "cdo@voorbeeldstad.example"
# Set to a folder to keep screenshots of the home at 1280 and 320 pixels for a person to see.
SCREENSHOTS = os.environ.get("VAARDIG_SCREENSHOTS")


def _screenshot(page, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_the_employee_signs_in_to_what_is_due_and_resumes_at_the_right_lesson(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, EMPLOYEE)
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Anouk")
    due = page.locator("section[aria-labelledby=due-heading]")
    first = due.get_by_role("listitem").first
    # The overdue privacy module comes first, with where it came from.
    expect(first).to_contain_text("persoonsgegevens onder de AVG")
    expect(first).to_contain_text("Te laat")
    expect(due).to_contain_text("Leerroute: Digitaal vaardig 2027")
    expect(due).to_contain_text("Volgende: Online samenwerken")
    standing = page.locator("section[aria-labelledby=standing-heading]")
    expect(standing).to_contain_text("doelen gehaald")
    expect(
        standing.get_by_role("link", name="Waar je staat per competentie, en waarom")
    ).to_be_visible()
    assert_no_axe_violations(page)
    _screenshot(page, "home-employee-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    _screenshot(page, "home-employee-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The module in progress is the path's next: "To do" leads on, "In progress" says so.
    progress = page.locator("section[aria-labelledby=progress-heading]")
    expect(progress).to_contain_text("staat hierboven onder Te doen")
    expect(page.get_by_role("link", name="Verder waar je was")).to_have_count(1)
    due.get_by_role("link", name="Verder waar je was").click()

    module = ModulePage.objects.get(slug="online-samenwerken")
    second = LessonPage.objects.live().child_of(module).order_by("path")[1]
    expect(page).to_have_url(f"{page.url.split('/nl/catalogus/')[0]}{second.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)


def test_the_catalogue_and_module_page_say_what_is_mandatory_and_what_it_brings(page, demo_site):
    log_in(page, EMPLOYEE)
    page.goto("/catalogus/")
    card = page.locator("article.card").filter(has_text="persoonsgegevens onder de AVG")
    expect(card).to_contain_text("Te laat")
    assert_no_axe_violations(page)

    page.goto(ModulePage.objects.get(slug="phishing-herkennen").url)
    expect(page.get_by_role("heading", name="Wat deze module je oplevert")).to_be_visible()
    expect(page.get_by_role("link", name="Download je certificaat")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_manager_filters_and_sorts_the_matrix_with_the_names_staying_put(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, MANAGER)
    page.goto("/")
    expect(page.get_by_role("link", name="Mijn team").last).to_be_visible()
    _screenshot(page, "home-manager-1280")
    expect(page.locator("section[aria-labelledby=team-heading]")).to_contain_text("onder een doel")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Mijn team").first.click()

    box = page.locator(".team-matrix")
    name = box.locator("tbody th").first
    level = box.locator("thead th.team-table__competence").first
    before, level_before = name.bounding_box()["x"], level.bounding_box()["x"]
    box.evaluate("element => element.scrollLeft = 600")
    page.wait_for_function("document.querySelector('.team-matrix').scrollLeft > 0")
    # The levels scroll away to the left while the names stay where they were.
    assert level.bounding_box()["x"] < level_before - 100
    assert abs(name.bounding_box()["x"] - before) < 2
    assert_no_axe_violations(page)

    page.get_by_label("Competentiegebied").select_option(label="4. Veiligheid")
    page.get_by_label("Sorteren op").select_option("gap")
    page.get_by_label("Alleen onder een doel of te laat").check()
    page.get_by_role("button", name="Tonen").click()

    expect(page).to_have_url(re.compile(r"sort=gap&attention=on"))
    headers = box.locator("thead th.team-table__competence")
    assert all(text.startswith("4.") for text in headers.all_inner_texts())
    gaps = [int(text.split()[0]) for text in box.locator("tbody td:nth-child(2)").all_inner_texts()]
    totals = [int(t.split()[-1]) for t in box.locator("tbody td:nth-child(2)").all_inner_texts()]
    assert [t - g for g, t in zip(gaps, totals, strict=True)] == sorted(
        (t - g for g, t in zip(gaps, totals, strict=True)), reverse=True
    )
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Anouk van der Berg", exact=True).click()
    training = page.locator("section[aria-labelledby=training-heading]")
    expect(training).to_contain_text("persoonsgegevens onder de AVG")
    expect(training).to_contain_text("Phishing herkennen")
    expect(training).not_to_contain_text("poging")
    assert_no_axe_violations(page)


def _long_options_lesson() -> LessonPage:
    """The demo lesson whose knowledge-check options are the longest."""

    def longest(lesson):
        return max(
            (
                len(option["text"])
                for question in lesson.questions().values()
                for option in question["options"]
            ),
            default=0,
        )

    return max(LessonPage.objects.live().specific(), key=longest)


def _assert_no_sideways_scrolling(page, path):
    page.goto(path)
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > 321)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        raise AssertionError(f"{path} is {width} px wide at 320: {wide}")


def test_no_learner_manager_or_cdo_page_scrolls_sideways_at_320_pixels(page, demo_site):
    page.set_viewport_size({"width": 320, "height": 640})
    module = ModulePage.objects.get(slug="online-samenwerken")
    lesson = _long_options_lesson()
    anouk = Employee.objects.get(user__email=EMPLOYEE)
    learner_pages = [
        "/",
        "/catalogus/",
        module.url,
        lesson.url,
        "/leren/",
        "/leren/certificaten/",
        "/leren/vaardigheden/",
        "/account/",
    ]
    log_in(page, EMPLOYEE)
    page.goto("/leren/vaardigheden/")
    learner_pages.append(page.locator(".area-action a").first.get_attribute("href"))
    for path in learner_pages:
        _assert_no_sideways_scrolling(page, path)

    log_in(page, MANAGER)
    for path in [
        "/",
        "/leren/",
        "/leren/vaardigheden/",
        "/leren/team/",
        f"/leren/team/{anouk.pk}/",
    ]:
        _assert_no_sideways_scrolling(page, path)
    assert_no_axe_violations(page)

    log_in(page, CDO)
    for path in ["/leren/dashboard/", "/", "/leren/", "/leren/vaardigheden/"]:
        _assert_no_sideways_scrolling(page, path)
    page.goto("/leren/dashboard/")
    assert_no_axe_violations(page)
