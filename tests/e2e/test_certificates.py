import json

from playwright.sync_api import expect
from pypdf import PdfReader

from content.demo import DEMO_MODULES_DIR
from lms.models import Certificate
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.e2e.test_taking_a_module import answer
from tests.factories import PASSWORD, UserFactory

LEARNER = "certificaat@voorbeeldstad.example"
HR = "hr@voorbeeldstad.example"
MODULE = json.loads(
    (DEMO_MODULES_DIR / "06-toegankelijk-schrijven.json").read_text(encoding="utf-8")
)


def test_an_employee_earns_a_certificate_that_a_stranger_can_verify(
    page, browser, live_server, demo_site, tmp_path
):
    UserFactory(email=LEARNER, first_name="Sem", last_name="de Bruijn")
    log_in(page, LEARNER, PASSWORD)
    page.goto(f"/catalogus/{MODULE['slug']}/")
    page.get_by_role("button", name="Module starten").click()
    for lesson in MODULE["lessons"]:
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson["title"])
        answer(page, lesson, correctly=True)
        page.get_by_role("button", name="Ik heb deze les gelezen").click()
    expect(page.get_by_text("Goed gedaan")).to_be_visible()

    page.get_by_role("link", name="Mijn certificaten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn certificaten")
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Downloaden {MODULE['title']}").click()
    path = tmp_path / "certificaat.pdf"
    download.value.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(path).pages).replace("\n", "")
    assert "Sem de Bruijn" in text and MODULE["title"].replace(" ", "") in text.replace(" ", "")
    url = next(word for word in text.split() if "/certificaat/" in word)
    path_only = url[url.index("/certificaat/") :]

    stranger = browser.new_context(locale="nl-NL", base_url=live_server.url)
    anonymous = stranger.new_page()
    anonymous.goto(path_only)
    expect(anonymous.get_by_text("Dit certificaat is echt en geldig.")).to_be_visible()
    expect(anonymous.locator("main")).to_contain_text("Sem de Bruijn")
    assert_no_axe_violations(anonymous)
    stranger.close()


def test_hr_finds_a_certificate_in_the_register_and_revokes_it(page, demo_site):
    certificate = Certificate.objects.status_is("valid").order_by("-completed_on", "-pk").first()
    log_in(page, HR)
    page.goto("/admin/")
    page.get_by_role("link", name="Certificaten").click()
    expect(page.locator("table.listing")).to_contain_text(certificate.number)
    assert_no_axe_violations(page)

    page.get_by_role("link", name=certificate.number, exact=True).click()
    expect(page.locator("main")).to_contain_text(certificate.holder_name)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Intrekken").click()
    assert_no_axe_violations(page)
    page.get_by_label("Reden").fill("Op de verkeerde naam uitgegeven")
    page.get_by_role("button", name="Intrekken").click()

    expect(page.get_by_text(f"Certificaat {certificate.number} ingetrokken.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ingetrokken: Op de verkeerde naam uitgegeven")
    page.goto(f"/certificaat/{certificate.public_id}/")
    expect(page.locator("main")).to_contain_text("ingetrokken")
