"""The privacy and accessibility statements: pages the organisation edits, linked from the
footer of every page of the site in the reader's language, none linked when none is
published, and their translations kept like the modules'."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail_localize.models import Translation

from content.demo import demo_statement_files, demo_statements_load
from content.statements import StatementKind, StatementPage


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def _text(html: str) -> str:
    """What a reader sees of ``html``: its text with the spaces run together."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _links(html: str) -> dict[str, str]:
    """{link text: address} of the footer."""
    return {
        text.strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', _footer(html))
    }


@pytest.mark.django_db
def test_every_learner_page_links_both_statements_and_they_open(
    client, learner, catalogue, statements
):
    client.force_login(learner)
    for url in (
        "/",
        catalogue.url,
        reverse("lms:my_learning"),
        reverse("lms:my_certificates"),
        reverse("account_overview"),
    ):
        links = _links(client.get(url).content.decode())
        assert list(links) == ["Privacyverklaring", "Toegankelijkheidsverklaring"], url

    privacy = client.get(links["Privacyverklaring"])
    accessibility = client.get(links["Toegankelijkheidsverklaring"])

    assert privacy.status_code == accessibility.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", privacy.content.decode()))
    assert "<h1>Privacyverklaring</h1>" in privacy.content.decode()
    assert "Laatst gecontroleerd op 3 december 2026." in text
    assert "te weinig mensen" in text  # the threshold, as the coverage pages say it
    assert "Nooit je scores, je aantal pogingen" in text
    a11y = accessibility.content.decode()
    assert "voldoet gedeeltelijk" in a11y and "toegankelijkheid@voorbeeldstad.example" in a11y
    # The open statement is marked as the current page in the footer.
    assert 'aria-current="page">Toegankelijkheidsverklaring</a>' in _footer(a11y)


@pytest.mark.django_db
def test_the_statements_are_public_and_the_login_page_links_them(client, statements):
    login = client.get(reverse("account_login")).content.decode()

    links = _links(login)

    assert set(links) == {"Privacyverklaring", "Toegankelijkheidsverklaring"}
    assert client.get(links["Privacyverklaring"]).status_code == 200


@pytest.mark.django_db
def test_an_unpublished_statement_is_not_linked_and_none_shows_no_footer_links(
    client, home, statements
):
    # The Dutch originals: their translations are not linked without them.
    privacy = StatementPage.objects.get(kind=StatementKind.PRIVACY, locale__language_code="nl")
    privacy.unpublish()

    assert list(_links(client.get("/").content.decode())) == ["Toegankelijkheidsverklaring"]

    StatementPage.objects.get(
        kind=StatementKind.ACCESSIBILITY, locale__language_code="nl"
    ).unpublish()
    html = client.get("/").content.decode()

    assert _links(html) == {}
    assert 'aria-label="Verklaringen"' not in html  # no empty navigation either


@pytest.mark.django_db
@pytest.mark.usefixtures("rendered_pages")
def test_the_footer_costs_no_more_queries_however_many_statements(
    client, learner, home, statements
):
    client.force_login(learner)
    client.get(reverse("lms:my_learning"))  # warm the site lookup

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("lms:my_learning"))
        return len(captured)

    before = queries()
    for number in range(3):
        home.add_child(
            instance=StatementPage(
                title=f"Oude verklaring {number}",
                kind=StatementKind.PRIVACY,
                last_reviewed=datetime.date(2025, 1, 1),
                body="<p>Vervangen.</p>",
            )
        )
    client.get(reverse("lms:my_learning"))  # a new page tree: what is remembered is read again
    after = queries()

    assert after == before
    # The first one published stays the one linked.
    assert "Oude verklaring" not in _footer(client.get(reverse("lms:my_learning")).content.decode())


@pytest.mark.django_db
def test_loading_the_demo_twice_makes_each_statement_once(home, statements):
    demo_statements_load(home=home)

    # Two statements, each in Dutch, German and English.
    assert StatementPage.objects.count() == 6
    assert sorted(StatementPage.objects.values_list("locale__language_code", flat=True)) == [
        "de",
        "de",
        "en",
        "en",
        "nl",
        "nl",
    ]


def test_the_demo_texts_are_there_in_dutch_german_and_english():
    for path in demo_statement_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["kind"] in StatementKind.values
        for language in ("nl", "de", "en"):
            text = data["translations"][language]
            assert text["title"] and text["slug"] and len(text["body"]) > 2000, language
            assert "mailto:" in text["body"]
    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in demo_statement_files()}
    assert kinds == {"privacy", "accessibility"}


# (reader's language, privacy title and address, accessibility title and address, a sentence
# of each that a reader of that language reads, the "last reviewed" line)
READERS = [
    (
        "nl",
        ("Privacyverklaring", "/nl/privacyverklaring/"),
        ("Toegankelijkheidsverklaring", "/nl/toegankelijkheidsverklaring/"),
        "Nooit je scores, je aantal pogingen of hoe lang je ergens over deed.",
        "Vaardig voldoet gedeeltelijk aan de eisen",
        "Laatst gecontroleerd op 3 december 2026.",
    ),
    (
        "de",
        ("Datenschutzerklärung", "/de/datenschutzerklaerung/"),
        ("Erklärung zur Barrierefreiheit", "/de/erklaerung-zur-barrierefreiheit/"),
        "Nie Ihre Punktzahlen, die Zahl Ihrer Versuche oder wie lange Sie für etwas gebraucht",
        "teilweise vereinbar",
        "Zuletzt geprüft am 3. Dezember 2026.",
    ),
    (
        "en",
        ("Privacy statement", "/en/privacy-statement/"),
        ("Accessibility statement", "/en/accessibility-statement/"),
        "Never your scores, your number of attempts or how long something took you.",
        "Vaardig is partially compliant with the accessibility requirements",
        "Last reviewed on Dec. 3, 2026.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "privacy", "accessibility", "privacy_says", "accessibility_says", "reviewed"),
    READERS,
    ids=[reader[0] for reader in READERS],
)
def test_a_reader_finds_the_statements_in_their_own_language(
    client,
    settings,
    learner,
    statements,
    language,
    privacy,
    accessibility,
    privacy_says,
    accessibility_says,
    reviewed,
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(learner)

    for url in ("/", reverse("lms:my_learning"), reverse("account_overview")):
        links = _links(client.get(url).content.decode())
        assert links == dict([privacy, accessibility]), url

    for (title, address), says in ((privacy, privacy_says), (accessibility, accessibility_says)):
        response = client.get(address)
        html = response.content.decode()
        assert response.status_code == 200, address
        assert f'<html lang="{language}">' in html
        assert f"<h1>{title}</h1>" in html  # in the page's language: no lang of its own
        assert says in _text(html)
        assert reviewed in _text(html)
        assert "not been translated" not in html and "nog niet in jouw taal" not in html
        assert f'aria-current="page">{title}</a>' in _footer(html)
        # The other language versions are named for search engines and browsers.
        assert html.count('<link rel="alternate" hreflang=') == 3


@pytest.mark.django_db
def test_a_reader_sent_to_another_language_address_gets_their_own_version(
    client, settings, statements
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    response = client.get("/nl/privacyverklaring/")

    assert response.status_code == 302
    assert response["Location"] == "/de/datenschutzerklaerung/"


@pytest.mark.django_db
def test_a_statement_not_translated_yet_is_linked_and_shown_in_dutch_marked_as_such(
    client, settings, statements
):
    german = StatementPage.objects.get(kind=StatementKind.PRIVACY, locale__language_code="de")
    german.unpublish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    links = _links(client.get("/").content.decode())
    assert links == {
        "Privacyverklaring": "/nl/privacyverklaring/",
        "Erklärung zur Barrierefreiheit": "/de/erklaerung-zur-barrierefreiheit/",
    }
    html = client.get(links["Privacyverklaring"]).content.decode()

    assert '<html lang="de">' in html  # the page around it speaks the reader's language
    assert '<h1 lang="nl">Privacyverklaring</h1>' in html
    assert '<div class="statement__body" lang="nl">' in html
    assert "Diese Seite ist noch nicht in Ihre Sprache übersetzt." in html
    assert "Zuletzt geprüft am 3. Dezember 2026." in _text(html)


def _translations(page) -> dict[str, Translation]:
    return {
        translation.target_locale.language_code: translation
        for translation in Translation.objects.filter(
            source__object_id=page.translation_key
        ).select_related("target_locale")
    }


@pytest.mark.django_db
def test_the_demo_translations_are_whole_and_up_to_date(statements):
    """Each German and English text has the Dutch text's paragraphs, headings and list items
    in the same order, so that every one of them is the translation of its Dutch segment in
    the segment editor: none is left to translate."""
    for page in statements:
        translations = _translations(page)
        assert set(translations) == {"de", "en"}
        for language, translation in translations.items():
            total, done = translation.get_progress()
            assert total > 15 and done == total, (page.kind, language, total, done)
            assert translation.get_status_display() == "Up to date"


@pytest.mark.django_db
def test_editing_the_dutch_statement_shows_its_translations_out_of_date(
    client, settings, statements, platform_admin
):
    privacy = StatementPage.objects.get(kind=StatementKind.PRIVACY, locale__language_code="nl")
    privacy.body = privacy.body + "<p>Vaardig bewaart sinds kort ook je favoriete modules.</p>"
    # Below the home page only the platform administrators edit (content leads: the catalogue).
    privacy.save_revision(user=platform_admin).publish(user=platform_admin)

    for language, translation in _translations(privacy).items():
        translation.refresh_from_db()
        assert translation.get_status_display() == "Waiting for translations", language
        total, done = translation.get_progress()
        assert done == total - 1, language  # the new paragraph waits for its translation
    # Until a translator publishes it, the German statement stays as it was.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get("/de/datenschutzerklaerung/").content.decode()
    assert "<h1>Datenschutzerklärung</h1>" in html
    assert "favoriete modules" not in html


def test_content_leads_edit_and_publish_the_statements_in_every_language_trainers_do_not(
    client, content_lead, trainer, statements
):
    pages = list(StatementPage.objects.all())
    assert {page.locale.language_code for page in pages} == {"nl", "de", "en"}
    client.force_login(content_lead)
    for page in pages:
        editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert editor.status_code == 200, page.url_path
        assert page.title in editor.content.decode()
        assert page.permissions_for_user(content_lead).can_publish()
    client.force_login(trainer)
    for page in pages:
        assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code in (
            302,
            403,
        )
