"""A German employee takes a module in German, switches to Dutch and keeps her progress; a
module not translated yet is shown to her in Dutch, marked as Dutch. axe finds nothing on
either."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from content.demo import demo_modules_load
from content.services import site_setup
from lms.models import Enrolment
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import PASSWORD, UserFactory, module_create

SAMPLE = Path(__file__).resolve().parent.parent / "content" / "demo_sample"
LEARNER = "mitarbeiterin@kreis.example"


@pytest.fixture
def modules(live_server):
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    # The live server's tables are emptied after each test, Wagtail's first rows included.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_root_nodes().exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.get_root_nodes().exists():
        Collection.add_root(name="Root")
    host, port = live_server.url.split("//")[1].split(":")
    catalogue = site_setup(site_name="Landkreis Beispiel", hostname=host, port=int(port))
    (translated,) = demo_modules_load(catalogue=catalogue, directory=SAMPLE)
    untranslated = module_create(catalogue, title="Archiveren", lessons=1)
    UserFactory(email=LEARNER, preferred_language="de")
    return translated, untranslated


def answer_rightly(page, option):
    page.get_by_label(option, exact=True).check()
    page.get_by_role("button", name="Antworten prüfen").click()
    expect(page.get_by_role("heading", name="Wissenscheck bestanden")).to_be_visible()


def test_a_german_employee_switches_to_dutch_and_keeps_her_progress(page, modules):
    translated, untranslated = modules
    log_in(page, LEARNER, PASSWORD)

    page.goto("/de/katalog/")
    page.get_by_role("link", name="Starke Passwörter").click()
    expect(page).to_have_url(page.url.split("/de/")[0] + "/de/katalog/starke-passwoerter/")
    page.get_by_role("button", name="Modul starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Was ist ein starkes Passwort?")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.locator("main [lang=nl]").count() == 0
    assert_no_axe_violations(page)  # a translated lesson with its knowledge check
    answer_rightly(page, "pferd-batterie-klammer-richtig")
    page.get_by_role("button", name="Ich habe diese Lektion gelesen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Der Passwortmanager")

    # She switches to Dutch: the same lesson, in Dutch, and the first one is still done.
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De wachtwoordmanager")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_role("link", name="Sterke wachtwoorden").first.click()
    first = page.locator(".lesson-list li").first
    expect(first).to_contain_text("Wat is een sterk wachtwoord?")
    expect(first).to_contain_text("afgerond")
    page.get_by_role("link", name="De wachtwoordmanager").click()
    answer = page.get_by_label("Waar", exact=True)
    answer.check()
    # Each post answered before the next step: a click on the page it leaves, or a goto
    # while it is posted, would cancel it.
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Antwoorden controleren").click()
    page.get_by_role("button", name="Ik heb deze les gelezen").click()
    expect(page.get_by_text("Sterke wachtwoorden").first).to_be_visible()

    # Back in German, the module is completed, in German: one enrolment, of the module.
    with page.expect_navigation():
        page.get_by_role("button", name="Deutsch").click()
    page.goto("/leren/")
    expect(page.get_by_role("link", name="Starke Passwörter").first).to_be_visible()
    (enrolment,) = Enrolment.objects.filter(learner__email=LEARNER)
    assert enrolment.module_id == translated.pk and enrolment.completed_at is not None
    assert enrolment.lesson_progress.filter(completed_at__isnull=False).count() == 2

    # A module not translated yet: Dutch content, marked as Dutch, in a German page.
    page.goto(untranslated.lessons().first().url)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".lesson__body")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("note")).to_contain_text("noch nicht in Ihre Sprache übersetzt")
    assert_no_axe_violations(page)
