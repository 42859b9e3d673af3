import datetime

from playwright.sync_api import expect

from content.models import ModulePage
from tests.e2e.conftest import assert_no_axe_violations, log_in

EMPLOYEE = "medewerker@voorbeeldstad.example"
MANAGER = "leidinggevende@voorbeeldstad.example"


def test_a_manager_reads_the_team_matrix_and_assigns_a_module_to_the_team(page, demo_site):
    log_in(page, MANAGER)
    page.get_by_role("link", name="Mijn team").click()

    matrix = page.get_by_role("table", name="Huidig niveau / doelniveau per competentie")
    expect(matrix).to_be_visible()
    anouk = matrix.get_by_role("row").filter(has_text="Anouk van der Berg")
    # The demo employee's privacy module, assigned by this manager, is past its date.
    expect(anouk).to_contain_text("persoonsgegevens onder de AVG")
    expect(anouk.locator(".tag--overdue").first).to_be_visible()
    assert_no_axe_violations(page)

    due = datetime.date.today() + datetime.timedelta(days=30)
    form = page.locator("form[action$='/team/toewijzen/']")
    title = ModulePage.objects.get(slug="toegankelijk-schrijven").title
    form.locator("select[name=module]").select_option(label=title)
    form.locator("input[name=due_on]").fill(due.isoformat())
    form.locator("input[name=who][value=everyone]").check()
    form.locator("button[type=submit]").click()

    expect(page.locator(".messages")).to_contain_text("Toegankelijk schrijven")
    assert_no_axe_violations(page)

    log_in(page, EMPLOYEE)
    page.goto("/leren/")
    assigned = page.locator("section[aria-labelledby=assigned-heading]")
    item = assigned.get_by_role("listitem").filter(has_text="Toegankelijk schrijven")
    expect(item).to_contain_text("toegewezen door")
    expect(page.locator(".learning-path")).to_contain_text("Digitaal vaardig 2027")
    assert_no_axe_violations(page)
