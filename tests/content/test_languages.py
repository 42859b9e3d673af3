"""One module, several languages: addresses per language, the learner's language, the
fallback to the source marked with lang, hreflang, and the progress that follows the module."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.translations import page_translation_publish, source_of
from lms.learning import services
from lms.models import CheckAttempt, Enrolment, LessonProgress
from tests.factories import module_create, paragraph, question

pytestmark = pytest.mark.django_db

# Queries of a lesson page for a signed-in learner in the source language, measured when the
# languages came (README, "Modules in the learner's language").
QUERY_BUDGET = 26


def german_question():
    return question(
        prompt="Welches Signal deutet auf Phishing hin?",
        options=[
            {"text": "Zeitdruck und Drohung", "correct": True, "feedback": "RICHTIG"},
            {"text": "Ihr eigener Name", "correct": False, "feedback": "FALSCH"},
        ],
    )


def translate(module, language="de", *, lessons=None):
    """The module and its lessons (all, or the first ``lessons``) translated into German."""
    translated = page_translation_publish(
        source=module,
        language=language,
        fields={"title": "Sicher mailen", "slug": "sicher-mailen", "summary": "Kurz gesagt."},
    )
    for number, lesson in enumerate(module.lessons()[:lessons], start=1):
        page_translation_publish(
            source=lesson,
            language=language,
            fields={
                "title": f"Sicher mailen: Lektion {number}",
                "slug": f"lektion-{number}",
                "body": [paragraph(f"Inhalt der Lektion {number}."), german_question()],
            },
        )
    return translated


def in_german(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="de")


def sign_in(client, user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)


def test_a_translation_keeps_the_blocks_questions_and_options_of_its_source(catalogue):
    module = module_create(catalogue, lessons=1)
    translate(module)
    lesson = module.lessons().first()
    german = in_german(lesson)

    assert [b.id for b in german.body] == [b.id for b in lesson.body]
    options = [o.id for o in lesson.body[1].value["options"].bound_blocks]
    assert [o.id for o in german.body[1].value["options"].bound_blocks] == options
    assert german.body[1].value["prompt"] == "Welches Signal deutet auf Phishing hin?"
    assert source_of(german) == lesson
    assert source_of(in_german(module)) == module


def test_each_language_has_its_own_addresses(catalogue):
    module = module_create(catalogue, lessons=1)
    translate(module)

    assert catalogue.url == "/nl/catalogus/"
    assert module.url == "/nl/catalogus/veilig-e-mailen/"
    assert in_german(module).url == "/de/katalog/sicher-mailen/"
    assert in_german(catalogue).url == "/de/katalog/"


def test_a_german_learner_reads_the_german_version_and_old_addresses_lead_there(
    client, catalogue, learner
):
    module = module_create(catalogue, lessons=1)
    translate(module)
    sign_in(client, learner, "de")

    html = client.get("/de/katalog/sicher-mailen/").content.decode()
    assert "Sicher mailen" in html and "Kurz gesagt." in html
    assert 'lang="nl"' not in html.split("<main")[1]
    assert (
        '<link rel="alternate" hreflang="nl" href="http://testserver/nl/catalogus/veilig-e-mailen/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="de" href="http://testserver/de/katalog/sicher-mailen/">'
        in html
    )
    # The Dutch address, and the one from before the languages, lead to the German version.
    assert client.get(module.url)["Location"] == "/de/katalog/sicher-mailen/"
    assert (
        client.get("/catalogus/veilig-e-mailen/?x=1")["Location"]
        == "/de/katalog/sicher-mailen/?x=1"
    )
    assert client.get("/catalogus/")["Location"] == "/de/katalog/"


def test_an_untranslated_lesson_is_shown_in_dutch_marked_as_such(client, catalogue, learner):
    module = module_create(catalogue, lessons=2)
    translate(module, lessons=1)  # the second lesson is not translated yet
    second = module.lessons()[1]
    sign_in(client, learner, "de")

    response = client.get(second.url)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert "noch nicht in Ihre Sprache übersetzt" in html
    assert '<div class="lesson__body" lang="nl">' in html
    assert f'<h1 lang="nl">{second.title}</h1>' in html
    # The module around it is the German one, and the lesson before it too.
    assert 'href="/de/katalog/sicher-mailen/"' in html
    assert 'href="/de/katalog/sicher-mailen/lektion-1/"' in html


def test_the_catalogue_lists_each_module_once_in_the_best_language(client, catalogue, learner):
    translated = module_create(catalogue, title="Veilig e-mailen", lessons=0)
    translate(translated)
    module_create(catalogue, title="Archiveren", lessons=0)
    sign_in(client, learner, "de")

    html = client.get("/de/katalog/").content.decode()

    assert html.count('class="card__title"') == 2
    assert ">Sicher mailen</a>" in html and "Veilig e-mailen" not in html
    assert '<a href="/nl/catalogus/archiveren/" lang="nl">Archiveren</a>' in html
    # A search finds a module by the words of any of its languages, and shows it once.
    html = client.get("/de/katalog/?query=veilig").content.decode()
    assert html.count('class="card__title"') == 1 and ">Sicher mailen</a>" in html


def test_progress_follows_the_module_across_its_languages(client, catalogue, learner):
    module = module_create(catalogue, lessons=2)
    translate(module)
    first, second = module.lessons()
    sign_in(client, learner, "de")

    client.post(f"/leren/modules/{in_german(module).pk}/start/")
    client.post(f"/leren/lessen/{in_german(first).pk}/gelezen/")
    german_first = in_german(first)
    question_id, question = next(iter(german_first.questions().items()))
    right = next(o.id for o in question["options"].bound_blocks if o.value["correct"])
    client.post(
        f"/leren/lessen/{german_first.pk}/kennischeck/",
        {"attempt": 1, f"question-{question_id}": right},
    )

    # Mijn leren names the module in German, and the menu leads to the German catalogue.
    html = client.get("/leren/").content.decode()
    assert '<a href="/de/katalog/sicher-mailen/">Sicher mailen</a>' in html
    assert '<a href="/de/katalog/">' in html

    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.module_id == module.pk  # the source, not the German version
    assert LessonProgress.objects.get(enrolment=enrolment).lesson_id == first.pk
    attempt = CheckAttempt.objects.get(enrolment=enrolment)
    assert (attempt.lesson_id, attempt.passed, attempt.results) == (
        first.pk,
        True,
        {question_id: True},
    )

    # In Dutch the first lesson is done, and the second continues.
    sign_in(client, learner, "nl")
    client.cookies.clear()
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert "✓" in html.split(first.title)[1].split("</li>")[0]
    services.lesson_mark_read(learner=learner, lesson=second, acting_user=learner)
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is None
    assert Enrolment.objects.count() == 1


def _queries(client, url) -> int:
    client.get(url)  # what each worker remembers of the page tree (content.routing) is read
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lesson_page_takes_a_fixed_number_of_queries_in_every_language(
    client, catalogue, learner
):
    short = module_create(catalogue, title="Kort", lessons=2)
    long = module_create(catalogue, title="Lang", lessons=5)
    translate(short)
    translate(long, lessons=3)  # and two lessons read in Dutch
    sign_in(client, learner, "de")
    client.get(in_german(short.lessons().first()).url)  # the site's root paths are cached

    german_short = _queries(client, in_german(short.lessons()[1]).url)
    german_long = _queries(client, in_german(long.lessons()[1]).url)
    dutch_in_german = _queries(client, long.lessons()[4].url)
    sign_in(client, learner, "nl")
    dutch = _queries(client, short.lessons()[1].url)

    assert german_short == german_long  # whatever the number of lessons
    # A lesson not translated yet looks once more for its translation.
    assert dutch_in_german <= german_short + 1, (dutch_in_german, german_short)
    # What a translation adds: finding the source lesson and module (two queries each), the
    # module in the reader's language and the translations of its lessons.
    assert german_short - dutch <= 6, (german_short, dutch)
    assert dutch <= QUERY_BUDGET, dutch
