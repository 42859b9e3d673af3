"""HR follows an overdue count in a browser: from the admin dashboard to Compliance, from a
count to the people behind it, and acts on them (a reminder now, the list as a spreadsheet,
more time with a reason); the audit log then names what was done and about whom."""

import datetime
import re
from urllib.parse import urlencode

import openpyxl
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from lms.models import Assignment
from people.models import User
from tests.e2e.conftest import assert_no_axe_violations, log_in

HR = "hr@voorbeeldstad.example"


def test_hr_follows_an_overdue_count_to_the_people_and_reminds_exports_and_gives_more_time(
    page, demo_site
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, HR)
    page.goto("/admin/")
    row = page.get_by_role("row", name=re.compile("Gemeente Voorbeeldstad"))
    row.get_by_role("cell").nth(1).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verplichte training")

    # In the report every count is a link to the people behind it (she holds the names
    # permission); the first overdue count of the organisation as a whole.
    people_link = page.locator("a[href*='/compliance/people/'][href*='status=overdue']").first
    expected = int(people_link.inner_text().strip())
    people_link.click()
    expect(page.locator(".coverage-names__notice")).to_contain_text("auditlog")
    rows = page.locator("table.coverage-names tbody tr")
    expect(rows).to_have_count(expected)
    assert_no_axe_violations(page)

    first = rows.first
    name = first.locator("th").inner_text().strip()
    assignment_id = int(first.locator("input[name=assignments]").get_attribute("value"))
    employee = Assignment.objects.get(pk=assignment_id).employee
    assert f"{employee.user.first_name}" in name
    # Only this one person is chosen for what follows.
    for box in page.locator("input[name=assignments]").all():
        box.uncheck()
    first.locator("input[name=assignments]").check()

    outbox_before = len(mail.outbox)
    page.get_by_role("button", name="Nu een herinnering sturen").click()
    expect(page.locator(".messages")).to_contain_text(
        "Er is een herinnering gestuurd aan 1 persoon"
    )
    reminders = [m for m in mail.outbox[outbox_before:] if m.to == [employee.user.email]]
    assert len(reminders) == 1 and len(mail.outbox) == outbox_before + 1

    for box in page.locator("input[name=assignments]").all():
        box.uncheck()
    page.locator(f"#assignment-{assignment_id}").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="XLSX downloaden").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(handle).active
    names = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert name in names and len([n for n in names if n == name]) == 1

    new_date = datetime.date.today() + datetime.timedelta(days=45)
    for box in page.locator("input[name=assignments]").all():
        box.uncheck()
    page.locator(f"#assignment-{assignment_id}").check()
    page.get_by_label("Nieuwe uiterste datum").fill(new_date.isoformat())
    page.get_by_label("Reden").fill("Langdurig ziek")
    page.get_by_role("button", name="De uiterste datum verschuiven").click()
    expect(page.locator(".messages")).to_contain_text("verschoven")
    assert Assignment.objects.get(pk=assignment_id).due_on == new_date
    # No longer overdue: one fewer behind the count.
    expect(page.locator("table.coverage-names tbody tr")).to_have_count(expected - 1)
    expect(page.locator(f"#assignment-{assignment_id}")).to_have_count(0)

    # The audit log names the person and what was done, found by her name.
    page.goto(
        reverse("core_audit_log") + "?" + urlencode({"person": employee.user.get_full_name()})
    )
    listing = page.locator("table.listing")
    expect(listing).to_contain_text("Uiterste datum verschoven")
    expect(listing).to_contain_text(employee.user.get_full_name())
    expect(listing).not_to_contain_text(f"employee {employee.pk}")
    assert_no_axe_violations(page)
    hr = User.objects.get(email=HR)
    assert hr.get_full_name() in listing.inner_text()
