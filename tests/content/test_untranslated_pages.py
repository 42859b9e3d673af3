"""What frames a page not translated into the reader's language (WCAG 3.1.2): the breadcrumb above
it in the reader's language where the pages above are translated, the statements in the footer
and the statement pages themselves marked with their language and said to be untranslated."""

import re

import pytest

from content.demo import demo_statements_load
from content.translations import page_translation_publish
from tests.factories import module_create

pytestmark = pytest.mark.django_db


def breadcrumb(html):
    start = html.index('<nav class="breadcrumb')
    return html[start : html.index("</nav>", start)]


def footer(html):
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def test_a_dutch_lesson_in_a_german_module_has_a_german_breadcrumb(client, catalogue, learner):
    module = module_create(catalogue, lessons=1)
    page_translation_publish(
        source=module, language="de", fields={"title": "Sicher mailen", "slug": "sicher-mailen"}
    )
    untranslated = module_create(catalogue, title="Archiveren", lessons=0)
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)

    lesson = breadcrumb(client.get(module.lessons().first().url).content.decode())
    alone = breadcrumb(client.get(untranslated.url).content.decode())

    assert '<a href="/de/katalog/">Katalog</a>' in lesson
    assert '<a href="/de/katalog/sicher-mailen/">Sicher mailen</a>' in lesson
    assert 'lang="nl">Veilig e-mailen: les 1</a>' in lesson  # the page itself, marked
    assert "Catalogus" not in lesson
    assert '<a href="/de/katalog/">Katalog</a>' in alone
    assert 'lang="nl">Archiveren</a>' in alone


def test_the_dutch_statements_are_marked_as_dutch_in_a_german_page(client, home, learner):
    (privacy,) = [
        page
        for page in demo_statements_load(home=home)
        if page.kind == "privacy" and page.locale.language_code == "nl"
    ]
    # The demo publishes it in German too; taken offline, the German reader gets the Dutch one.
    for version in privacy.get_translations().live():
        version.unpublish()
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)

    links = footer(client.get("/leren/").content.decode())
    statement = client.get(privacy.url).content.decode()

    assert re.search(r'<a href="[^"]+" lang="nl">Privacyverklaring</a>', links)
    assert '<h1 lang="nl">Privacyverklaring</h1>' in statement
    assert '<div class="statement__body" lang="nl">' in statement
    assert "noch nicht in Ihre Sprache übersetzt" in statement
    # A Dutch reader's page marks nothing.
    learner.preferred_language = "nl"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)
    assert 'lang="nl"' not in client.get(privacy.url).content.decode().split("<main")[1]
