import io
import json
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_in

EMPLOYEE = "medewerker@voorbeeldstad.example"


def test_an_employee_downloads_everything_vaardig_holds_about_her(page, demo_site):
    log_in(page, EMPLOYEE)
    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", name="Je gegevens")).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Mijn gegevens downloaden").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert data["person"] == EMPLOYEE
    assert data["parts"]["enrolments"]["records"]  # the demo employee has modules under way
    assert any(name.endswith(".pdf") for name in archive.namelist())

    # The readable summary is in Dutch and passes the same accessibility check as the site.
    page.set_content(archive.read("summary.html").decode())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Je gegevens in Vaardig")
    expect(page.get_by_role("heading", name="Certificaten")).to_be_visible()
    assert_no_axe_violations(page)
