from content.models import ModulePage
from people.models import User
from tests.e2e.conftest import log_in
from tests.factories import module_create

SHOTS = "/work/shots17"


def test_shots(page, demo_site):
    phishing = ModulePage.objects.get(slug="phishing-herkennen", locale__language_code="nl")
    module = module_create(phishing.get_parent(), title="Digitaal vergaderen", lessons=2)
    User.objects.filter(email="medewerker@voorbeeldstad.example").update(preferred_language="de")
    log_in(page, "medewerker@voorbeeldstad.example")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 640})
        page.goto("/de/katalog/phishing-erkennen/anzeichen-erkennen/")
        page.wait_for_function("() => document.querySelector('video').readyState >= 1")
        page.screenshot(path=f"{SHOTS}/german-video-lesson-{width}.png", full_page=True)
        page.screenshot(path=f"{SHOTS}/german-video-lesson-{width}-top.png")
        page.goto(module.url)
        page.screenshot(path=f"{SHOTS}/untranslated-module-de-{width}.png", full_page=True)
        page.goto(module.lessons().first().url)
        page.screenshot(path=f"{SHOTS}/untranslated-lesson-de-{width}.png", full_page=True)
        page.goto("/de/katalog/")
        page.screenshot(path=f"{SHOTS}/german-catalogue-{width}.png", full_page=True)
