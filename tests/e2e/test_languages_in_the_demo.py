"""The demo in German, in a real browser: the loader published the six demo modules in German and
English with all their lessons; a German employee finds them in the German catalogue, reads the
lesson with the demo video in German, with German captions switched on, operates the player
with the keyboard, and the page reflows to 320 pixels; a module not translated yet is shown
to her in Dutch, marked as Dutch; axe finds nothing on any of these pages. Without JavaScript
the uploaded video still plays: the browser loads the video and its captions itself."""

import json

from playwright.sync_api import expect

from content.demo import demo_module_files
from content.models import LessonPage, ModulePage
from people.models import User
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import module_create

LEARNER = "medewerker@voorbeeldstad.example"
GERMAN_VIDEO_LESSON = "/de/katalog/phishing-erkennen/anzeichen-erkennen/"
DUTCH_VIDEO_LESSON = "/nl/catalogus/phishing-herkennen/signalen-herkennen/"


def in_language(page, language):
    return (
        type(page)
        .objects.live()
        .get(translation_key=page.translation_key, locale__language_code=language)
    )


def speaks(email, language):
    User.objects.filter(email=email).update(preferred_language=language)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_loader_published_the_six_demo_modules_in_german_and_english(page, demo_site):
    slugs = [json.loads(p.read_text(encoding="utf-8"))["slug"] for p in demo_module_files()]
    assert len(slugs) == 6
    german_titles = []
    for slug in slugs:
        module = ModulePage.objects.live().get(slug=slug, locale__language_code="nl")
        lessons = list(LessonPage.objects.live().child_of(module))
        assert len(lessons) >= 3
        for language in ("de", "en"):
            translated = in_language(module, language)
            assert translated.title != module.title and translated.slug != module.slug
            for lesson in lessons:
                in_language(lesson, language)  # live, or this raises
        german_titles.append(in_language(module, "de").title)
    speaks(LEARNER, "de")
    log_in(page, LEARNER)

    page.goto("/de/katalog/")

    expect(page.locator("html")).to_have_attribute("lang", "de")
    cards = page.locator(".card__title")
    for title in german_titles:
        expect(cards.filter(has_text=title)).to_have_count(1)
    assert page.locator("main .card__title [lang=nl], main .card__title[lang=nl]").count() == 0
    assert_no_axe_violations(page)
    cards.get_by_role("link", name="Phishing erkennen und sicher mailen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phishing erkennen und sicher mailen")
    assert page.locator("main [lang=nl]").count() == 0
    assert_no_axe_violations(page)


def test_a_german_employee_follows_the_demo_video_in_german(page, demo_site):
    speaks(LEARNER, "de")
    log_in(page, LEARNER)

    page.goto(DUTCH_VIDEO_LESSON)  # a Dutch link leads her to the German lesson

    expect(page).to_have_url(page.url.split("/de/")[0] + GERMAN_VIDEO_LESSON)
    expect(page.get_by_role("heading", level=1)).to_have_text("Die Anzeichen von Phishing erkennen")
    assert page.locator("main [lang=nl]").count() == 0
    expect(page.locator("video track[default]")).to_have_attribute("srclang", "de")
    page.wait_for_function(
        "() => [...document.querySelector('video').textTracks]"
        ".some(t => t.language === 'de' && t.mode === 'showing' && t.cues && t.cues.length)"
    )
    expect(page.locator(".block-video__title")).to_have_text("Fünf Warnzeichen von Phishing")
    expect(page.locator(".block-video__transcript summary")).to_have_text("Transkript lesen")
    assert_no_axe_violations(page)

    # The player answers the keyboard: focused, the space bar starts it.
    video = page.locator("video")
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    video.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('video').paused")

    # On a phone's width the page reflows: nothing needs scrolling sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert no_horizontal_scroll(page)
    assert page.evaluate("document.querySelector('video').getBoundingClientRect().width") <= 320


def test_a_module_not_translated_yet_is_dutch_in_a_german_page(page, demo_site):
    phishing = ModulePage.objects.get(slug="phishing-herkennen", locale__language_code="nl")
    module = module_create(phishing.get_parent(), title="Digitaal vergaderen", lessons=1)
    speaks(LEARNER, "de")
    log_in(page, LEARNER)

    page.goto("/de/katalog/")
    page.get_by_role("link", name="Digitaal vergaderen").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "nl")
    expect(page.get_by_role("note").first).to_contain_text("noch nicht in Ihre Sprache übersetzt")
    assert_no_axe_violations(page)
    page.goto(module.lessons().first().url)
    expect(page.locator(".lesson__body")).to_have_attribute("lang", "nl")
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert no_horizontal_scroll(page)
    assert_no_axe_violations(page)


def test_the_uploaded_video_and_its_captions_load_without_javascript(
    browser, demo_site, live_server
):
    context = browser.new_context(
        locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, LEARNER)
        with (
            page.expect_response(lambda r: r.url.endswith(".vtt") and ".nl" in r.url) as captions,
            page.expect_response(lambda r: ".mp4" in r.url) as video,
        ):
            page.goto(DUTCH_VIDEO_LESSON)

        assert page.locator("video[controls]").count() == 1
        assert page.locator("video track").count() == 3
        assert captions.value.ok and captions.value.text().startswith("WEBVTT")
        assert video.value.status in (200, 206)
    finally:
        context.close()
