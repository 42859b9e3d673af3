"""Everything keeps working without JavaScript: the employee's, the manager's, the CDO's and
HR's journeys in a browser with JavaScript switched off. Every form is a plain form, every
figure is in the page as it comes from the server."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from competencies.models import Evidence
from content.models import ModulePage
from lms.models import Assignment
from people.models import Employee
from people.notifications.models import Notification
from tests.e2e.conftest import log_in
from tests.e2e.test_taking_a_module import MODULE, answer
from tests.factories import PASSWORD, UserFactory

EMPLOYEE = "medewerker@voorbeeldstad.example"
MANAGER = "leidinggevende@voorbeeldstad.example"
CDO = "cdo@voorbeeldstad.example"
HR = "hr@voorbeeldstad.example"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_without_javascript_a_new_employee_fails_retries_and_finishes_a_lesson(page, demo_site):
    UserFactory(email="zonderjs@voorbeeldstad.example")
    log_in(page, "zonderjs@voorbeeldstad.example", PASSWORD)
    page.goto("/catalogus/phishing-herkennen/")
    page.get_by_role("button", name="Module starten").click()

    first = MODULE["lessons"][0]
    expect(page.get_by_role("heading", level=1)).to_have_text(first["title"])
    answer(page, first, correctly=False)
    expect(page.get_by_role("heading", name="Nog niet gehaald")).to_be_visible()
    page.get_by_role("link", name="Opnieuw proberen").click()
    answer(page, first, correctly=True)
    expect(page.get_by_role("heading", name="Kennischeck gehaald")).to_be_visible()
    page.get_by_role("button", name="Ik heb deze les gelezen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE["lessons"][1]["title"])

    page.goto("/")
    progress = page.locator("section[aria-labelledby=progress-heading]")
    expect(progress).to_contain_text(MODULE["title"])
    progress.get_by_role("link", name="Verder waar je was").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE["lessons"][1]["title"])


def test_without_javascript_the_manager_filters_validates_and_assigns_and_she_is_told(
    page, demo_site
):
    anouk = Employee.objects.get(user__email=EMPLOYEE)
    log_in(page, MANAGER)
    page.get_by_role("link", name="Mijn team").first.click()

    page.get_by_label("Competentiegebied").select_option(label="4. Veiligheid")
    page.get_by_label("Sorteren op").select_option("gap")
    page.get_by_label("Alleen onder een doel of te laat").check()
    page.get_by_role("button", name="Tonen").click()
    expect(page).to_have_url(re.compile(r"sort=gap&attention=on"))
    headers = page.locator(".team-matrix thead th.team-table__competence")
    assert headers.count() and all(t.startswith("4.") for t in headers.all_inner_texts())

    # The assign form as it comes: its prefilled due date is sent back as it stands.
    page.goto("/leren/team/")
    form = page.locator("form[action$='/team/toewijzen/']")
    title = ModulePage.objects.get(slug="toegankelijk-schrijven").title
    form.locator("select[name=module]").select_option(label=title)
    form.locator("input[name=who][value=everyone]").check()
    told_before = Notification.objects.filter(recipient=anouk.user).count()
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Toegankelijk schrijven")
    assert Assignment.objects.filter(employee=anouk, module__slug="toegankelijk-schrijven").exists()
    # Her learning path asks for it by the end of 2027; the manager's date is sooner: news.
    assert Notification.objects.filter(recipient=anouk.user).count() == told_before + 1

    # Validating a level: the form opens from its summary, a plain <details>.
    page.goto(f"/leren/team/{anouk.pk}/")
    row = (
        page.get_by_role("table", name="1. Informatie- en datageletterdheid")
        .get_by_role("row")
        .filter(has_text="1.1")
    )
    row.get_by_text("Niveau vaststellen").click()
    row.get_by_label("Niveau (verplicht)", exact=True).select_option("4")
    row.get_by_label("Opmerking").fill("Besproken in het werkoverleg.")
    row.get_by_role("button", name="Niveau vastleggen").click()
    expect(page.get_by_text("vastgelegd")).to_be_visible()
    assert Evidence.objects.filter(employee=anouk, source="manager", rank=4).exists()

    # She reads of the new assignment on her home and marks it read.
    log_in(page, EMPLOYEE)
    page.goto("/")
    recent = page.locator("section[aria-labelledby=notifications-heading]")
    expect(recent).to_contain_text(f"Nieuwe scholing voor jou: {title}")
    recent.get_by_role("link", name="Alle meldingen").click()
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(page.locator("main")).not_to_contain_text("ongelezen")

    # And her self-assessment, one form for the area.
    page.goto("/leren/vaardigheden/")
    page.get_by_role(
        "link", name=re.compile(r"Zelf inschatten\s*: Informatie- en datageletterdheid")
    ).click()
    page.get_by_role("group", name="1.2").get_by_label("Niveau 1:").check()
    page.get_by_role("button", name="Mijn zelfbeoordeling opslaan").click()
    expect(page.locator(".messages")).to_contain_text("1 competentie")


def test_without_javascript_the_cdo_reads_the_dashboard_and_downloads_its_pdf(page, demo_site):
    log_in(page, CDO)
    expect(page).to_have_url(re.compile(r"/leren/dashboard/$"))
    headline = page.locator("section[aria-labelledby=headline-heading]")
    expect(headline.locator(".dashboard-figure__share")).to_have_text(re.compile(r"^\d+%$"))
    expect(headline.get_by_role("img")).to_be_visible()
    expect(page.locator("section[aria-labelledby=directorates-heading] table")).to_contain_text(
        "Bedrijfsvoering"
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden voor een vergadering (pdf)").click()
    with open(download.value.path(), "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Dashboard: Gemeente Voorbeeldstad" in re.sub(r"\s+", " ", text)


def test_without_javascript_hr_reminds_the_people_behind_an_overdue_count(page, demo_site):
    log_in(page, HR)
    page.goto("/admin/compliance/")
    page.locator("a[href*='/compliance/people/'][href*='status=overdue']").first.click()
    rows = page.locator("table.coverage-names tbody tr")
    expect(rows.first).to_be_visible()
    chosen = int(rows.first.locator("input[name=assignments]").get_attribute("value"))
    for box in page.locator("input[name=assignments]").all():
        box.uncheck()
    page.locator(f"#assignment-{chosen}").check()

    before = len(mail.outbox)
    page.get_by_role("button", name="Nu een herinnering sturen").click()

    expect(page.locator(".messages")).to_contain_text("Er is een herinnering gestuurd aan 1")
    employee = Assignment.objects.get(pk=chosen).employee
    assert [m.to for m in mail.outbox[before:]] == [[employee.user.email]]
