import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_in

EMPLOYEE = "medewerker@voorbeeldstad.example"
MANAGER = "leidinggevende@voorbeeldstad.example"


def test_an_employee_assesses_herself_and_a_manager_validates_a_level(page, demo_site):
    log_in(page, EMPLOYEE)
    page.get_by_role("link", name="Mijn vaardigheden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn vaardigheden")
    expect(page.get_by_role("heading", name="Je snelste route naar je doelen")).to_be_visible()
    assert_no_axe_violations(page)

    # One form for the whole competence area, a group of statements per competence.
    page.get_by_role(
        "link", name=re.compile(r"Zelf inschatten\s*: Informatie- en datageletterdheid")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zelfbeoordeling")
    assert_no_axe_violations(page)
    group = page.get_by_role("group", name="1.1")
    for level in (1, 2, 3):
        group.get_by_label(f"Niveau {level}:").check()
    page.get_by_role("button", name="Mijn zelfbeoordeling opslaan").click()

    expect(page.locator(".messages")).to_contain_text("1 competentie")
    row = (
        page.get_by_role("table", name="1. Informatie- en datageletterdheid")
        .get_by_role("row")
        .filter(has_text="1.1")
    )
    expect(row).to_contain_text("zelf ingeschat: 3")
    # Why it is not done: the self-assessment does not count in this organisation.
    expect(row).to_contain_text("telt in deze organisatie pas mee")

    log_in(page, MANAGER)
    page.get_by_role("link", name="Mijn team").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Anouk van der Berg", exact=True).click()
    assert_no_axe_violations(page)
    row = (
        page.get_by_role("table", name="1. Informatie- en datageletterdheid")
        .get_by_role("row")
        .filter(has_text="1.1")
    )
    row.get_by_text("Niveau vaststellen").click()
    row.get_by_label("Niveau (verplicht)", exact=True).select_option("4")
    row.get_by_label("Opmerking").fill("Besproken: zoekt zelfstandig in zaaksysteem en intranet.")
    row.get_by_role("button", name="Niveau vastleggen").click()

    expect(page.get_by_text("vastgelegd")).to_be_visible()
    row = (
        page.get_by_role("table", name="1. Informatie- en datageletterdheid")
        .get_by_role("row")
        .filter(has_text="1.1")
    )
    expect(row).to_contain_text("Vastgesteld door de leidinggevende, telt tot")
    expect(row).to_contain_text("doel gehaald")
