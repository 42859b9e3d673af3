"""The CDO's dashboard and HR's admin dashboard, as the demo's CDO and HR adviser see them in a
browser: signing in, the figures, the PDF for a council meeting. (The walk at 320 CSS pixels
in test_homes.py includes the CDO's pages.)"""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.test_homes import _screenshot

CDO = "cdo@voorbeeldstad.example"
HR = "hr@voorbeeldstad.example"


def test_the_cdo_signs_in_to_the_dashboard_and_takes_its_pdf_to_the_council(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, CDO)

    # Straight to the dashboard after signing in, with its place in the menu.
    expect(page).to_have_url(re.compile(r"/leren/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard: Gemeente Voorbeeldstad")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")

    headline = page.locator("section[aria-labelledby=headline-heading]")
    expect(headline.locator(".dashboard-figure__share")).to_have_text(re.compile(r"^\d+%$"))
    expect(headline.get_by_role("img")).to_be_visible()  # the chart, with its table beside it
    expect(headline.get_by_role("table")).to_contain_text("(vandaag)")

    directorates = page.locator("section[aria-labelledby=directorates-heading] table")
    expect(directorates.get_by_role("row")).to_have_count(7)  # header, all, 5 directorates
    expect(directorates).to_contain_text("Bedrijfsvoering")
    areas = page.locator("section[aria-labelledby=areas-heading] table")
    expect(areas).to_contain_text("Veiligheid")
    training = page.locator("section[aria-labelledby=training-heading] table")
    expect(training).to_contain_text("Gemeente Voorbeeldstad (geheel)")
    expect(training.locator("tbody tr").first.locator("td").first).to_contain_text("%")
    assert_no_axe_violations(page)
    _screenshot(page, "dashboard-cdo-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    _screenshot(page, "dashboard-cdo-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden voor een vergadering (pdf)").click()
    with open(download.value.path(), "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Dashboard: Gemeente Voorbeeldstad" in text
    assert "Per directie" in text and "Bedrijfsvoering" in text
    assert "Per competentiegebied" in text and "Verplichte training" in text
    share = page.locator(".dashboard-figure__share").inner_text()
    assert share in text


def test_hr_reads_her_organisations_on_the_admin_dashboard_and_follows_a_figure(page, demo_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, HR)
    page.goto("/admin/")

    panel = page.locator("#vaardig-organisations-section, #vaardig-organisations").first
    row = page.get_by_role("row", name=re.compile("Gemeente Voorbeeldstad"))
    expect(row).to_be_visible()
    expect(panel).not_to_contain_text("Gemeente Beekdal")
    _screenshot(page, "dashboard-hr-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    _screenshot(page, "dashboard-hr-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The columns name the figures: organisation, headline, overdue training, certificates.
    overdue = row.get_by_role("cell").nth(1).get_by_role("link")
    count = re.match(r"\d+", overdue.inner_text()).group(0)
    overdue.click()
    expect(page).to_have_url(re.compile(r"/admin/compliance/\?unit=\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verplichte training")
    assert int(count) > 0
