"""Video everyone can follow, in a real browser: the demo's own video plays in Chromium's player
with its caption tracks, served from /media/ with the headers the proxy adds; an external video
sends nothing to its platform before the viewer's click."""

from urllib.parse import urlsplit

from playwright.sync_api import expect
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from content.models import LessonPage, ModulePage
from core.storage import MEDIA_HEADERS
from tests.e2e.conftest import assert_no_axe_violations, log_in

LEARNER = "medewerker@voorbeeldstad.example"
VIDEO_LESSON = "/catalogus/phishing-herkennen/signalen-herkennen/"
VIMEO = "https://vimeo.com/76979871"


def serve_media_as_the_proxy_does(page):
    """The live test server answers /media/ without the proxy's headers (README, "Running in
    production"); the browser gets them here, so the journey sees what production serves."""

    def add_headers(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, **MEDIA_HEADERS})

    page.route("**/media/**", add_headers)


def hosts_requested(page, live_server):
    own = urlsplit(live_server.url).netloc
    others = []
    page.on(
        "request",
        lambda request: (
            others.append(request.url)
            if urlsplit(request.url).netloc not in (own, "") and not request.url.startswith("data:")
            else None
        ),
    )
    return others


def test_the_demo_video_plays_with_a_caption_track_per_language(page, demo_site, live_server):
    serve_media_as_the_proxy_does(page)
    elsewhere = hosts_requested(page, live_server)
    log_in(page, LEARNER)

    page.goto(VIDEO_LESSON)

    video = page.locator("video")
    expect(video).to_have_attribute("controls", "")
    tracks = page.locator("video track")
    expect(tracks).to_have_count(3)
    assert [tracks.nth(i).get_attribute("srclang") for i in range(3)] == ["nl", "de", "en"]
    assert [tracks.nth(i).get_attribute("kind") for i in range(3)] == ["captions"] * 3
    assert tracks.nth(0).get_attribute("default") == ""  # the page's language, Dutch
    # Chromium itself loaded and parsed the Dutch track: its cues are there, and it shows them.
    page.wait_for_function(
        "() => { const t = document.querySelector('video').textTracks[0];"
        " return t.mode === 'showing' && t.cues && t.cues.length === 12; }"
    )
    # And the video: Chromium read its metadata (MP4, H.264, 55 seconds) through /media/.
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    assert round(page.evaluate("document.querySelector('video').duration")) == 55

    for index, language in enumerate(("nl", "de", "en")):
        response = page.request.get(tracks.nth(index).get_attribute("src"))
        assert response.ok
        assert response.headers["content-type"].startswith("text/vtt")
        assert response.text().startswith("WEBVTT")
        assert language in tracks.nth(index).get_attribute("src")

    # The transcript is below the player, folded away until asked for.
    transcript = page.locator(".block-video__transcript")
    expect(transcript.get_by_text("Dia 3")).to_be_hidden()
    transcript.locator("summary").click()
    expect(transcript.get_by_text("Dia 3", exact=False)).to_be_visible()

    # The player is in the keyboard's path: one step back from the transcript lands on it.
    transcript.locator("summary").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.tagName") == "VIDEO"
    assert_no_axe_violations(page)
    assert elsewhere == []


def test_german_captions_are_switched_on_for_a_german_page(page, demo_site):
    log_in(page, LEARNER)
    page.goto("/")
    page.context.add_cookies([{"name": "django_language", "value": "de", "url": page.url}])

    page.goto(VIDEO_LESSON)

    expect(page.locator("html")).to_have_attribute("lang", "de")
    default = page.locator("video track[default]")
    expect(default).to_have_count(1)
    expect(default).to_have_attribute("srclang", "de")
    page.wait_for_function(
        "() => [...document.querySelector('video').textTracks]"
        ".some(t => t.language === 'de' && t.mode === 'showing')"
    )


def external_video_lesson():
    Embed.objects.create(
        url=VIMEO,
        max_width=None,
        type="video",
        html=(
            '<iframe title="Demo" src="https://player.vimeo.com/video/76979871" '
            'width="640" height="360"></iframe>'
        ),
        title="Demo",
        hash=get_embed_hash(VIMEO),
    )
    module = ModulePage.objects.get(slug="phishing-herkennen")
    lesson = LessonPage(
        title="Een video van elders",
        slug="video-van-elders",
        body=[
            {
                "type": "video",
                "value": {
                    "media": None,
                    "video": VIMEO,
                    "title": "Phishing in het echt",
                    "transcript": "<p>Wat er gezegd wordt.</p>",
                },
            }
        ],
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def test_an_external_video_is_loaded_only_after_the_viewers_click(page, demo_site, live_server):
    lesson = external_video_lesson()
    elsewhere = hosts_requested(page, live_server)
    # The platform is not reached from the test machine: its player is answered here.
    page.route(
        "https://player.vimeo.com/**",
        lambda route: route.fulfill(
            body="<!doctype html><title>Player</title>", content_type="text/html"
        ),
    )
    log_in(page, LEARNER)

    page.goto(lesson.url)

    consent = page.locator("[data-video-consent]")
    expect(consent).to_contain_text("vimeo.com")
    expect(page.locator("iframe")).to_have_count(0)
    assert_no_axe_violations(page)
    assert elsewhere == []  # nothing went to the platform before the click

    link = consent.get_by_role("link", name="Bekijk „Phishing in het echt” van vimeo.com")
    link.focus()
    page.keyboard.press("Enter")

    frame = page.locator("iframe[src='https://player.vimeo.com/video/76979871']")
    expect(frame).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert page.url.endswith(lesson.url)  # played here, not by leaving the page
    assert any(url.startswith("https://player.vimeo.com/") for url in elsewhere)


def test_without_javascript_the_external_video_is_a_link_to_the_platform(
    browser, demo_site, live_server
):
    lesson = external_video_lesson()
    context = browser.new_context(
        locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    elsewhere = hosts_requested(page, live_server)
    try:
        log_in(page, LEARNER)
        page.goto(lesson.url)

        link = page.locator("[data-video-consent] a")
        expect(link).to_have_attribute("href", VIMEO)
        expect(page.locator("iframe")).to_have_count(0)
        assert elsewhere == []
    finally:
        context.close()
