"""Translating modules in the CMS: the demo loader's translations, the refusal of a translation
that lacks a question, out of date after the source changes, PO export and import."""

import json
from pathlib import Path

import polib
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from content.demo import demo_modules_load
from content.models import LessonPage, ModulePage
from content.translations import TranslationMismatch, page_translation_publish
from tests.factories import UserFactory, module_create, paragraph, question, two_factor_enable

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent / "demo_sample"


def version(page, language):
    return type(page).objects.get(
        translation_key=page.translation_key, locale__language_code=language
    )


def test_the_demo_loader_publishes_the_translations_beside_the_modules(catalogue):
    (module,) = demo_modules_load(catalogue=catalogue, directory=SAMPLE)
    lessons = list(module.lessons())

    german, english = version(module, "de"), version(module, "en")
    assert (german.title, german.slug, german.live) == (
        "Starke Passwörter",
        "starke-passwoerter",
        True,
    )
    assert german.url == "/de/katalog/starke-passwoerter/"
    assert [o.value for o in german.objectives] == [
        "Sie wählen ein starkes Passwort.",
        "Sie nutzen einen Passwortmanager.",
    ]
    assert english.url == "/en/catalogue/strong-passwords/"
    for lesson in lessons:
        for translated in (version(lesson, "de"), version(lesson, "en")):
            assert translated.live
            assert [b.id for b in translated.body] == [b.id for b in lesson.body]
            assert {
                q: [o.id for o in value["options"].bound_blocks]
                for q, value in translated.questions().items()
            } == {
                q: [o.id for o in value["options"].bound_blocks]
                for q, value in lesson.questions().items()
            }
    second = version(lessons[1], "de")
    assert second.url == "/de/katalog/starke-passwoerter/passwortmanager/"
    prompt = next(iter(second.questions().values()))["prompt"]
    assert prompt == "Ein Passwortmanager merkt sich Ihre Passwörter."

    # A second run changes nothing.
    count = ModulePage.objects.count() + LessonPage.objects.count()
    demo_modules_load(catalogue=catalogue, directory=SAMPLE)
    assert ModulePage.objects.count() + LessonPage.objects.count() == count


def test_a_demo_translation_that_lacks_a_question_is_refused_whole(catalogue, tmp_path):
    for path in SAMPLE.rglob("*.json"):
        target = tmp_path / path.relative_to(SAMPLE)
        target.parent.mkdir(exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    german = json.loads((SAMPLE / "de" / "01-wachtwoorden.json").read_text(encoding="utf-8"))
    german["lessons"][1]["body"].pop()  # the question of the second lesson
    (tmp_path / "de" / "01-wachtwoorden.json").write_text(json.dumps(german), encoding="utf-8")

    with pytest.raises(TranslationMismatch):
        demo_modules_load(catalogue=catalogue, directory=tmp_path)

    # Nothing of the German module is left, not even its first lesson.
    assert not ModulePage.objects.filter(locale__language_code="de").exists()
    assert not LessonPage.objects.filter(locale__language_code="de").exists()


@pytest.fixture
def translated_lesson(catalogue):
    module = module_create(catalogue, lessons=1)
    page_translation_publish(
        source=module, language="de", fields={"title": "Sicher mailen", "slug": "sicher-mailen"}
    )
    lesson = module.lessons().first()
    german = page_translation_publish(
        source=lesson,
        language="de",
        fields={
            "title": "Lektion 1",
            "slug": "lektion-1",
            "body": [
                paragraph("Inhalt der Lektion."),
                question(
                    prompt="Welches Signal?",
                    options=[
                        {"text": "Zeitdruck", "correct": True, "feedback": "RICHTIG"},
                        {"text": "Ihr Name", "correct": False, "feedback": "FALSCH"},
                    ],
                ),
            ],
        },
    )
    return lesson, german


def test_a_translation_without_a_question_of_its_source_is_not_published(translated_lesson):
    _lesson, german = translated_lesson
    german.body = [block for block in german.body.raw_data if block["type"] != "question"]

    with pytest.raises(ValidationError) as refused:
        german.save_revision().publish()

    assert "does not have the same questions as the original (1 questions, here 0)" in str(
        refused.value
    )
    german = LessonPage.objects.get(pk=german.pk)
    assert len(german.questions()) == 1  # the live translation is as it was


def test_a_translation_with_other_options_is_not_published(translated_lesson):
    _lesson, german = translated_lesson

    def with_another_option(page):
        body = page.body.get_prep_value()
        options = body[1]["value"]["options"]
        options.append({"type": "item", "value": {**options[1]["value"], "text": "Extra"}})
        return body

    german.body = with_another_option(german)
    with pytest.raises(ValidationError, match="Question 1 of this translation"):
        german.save_revision()
    german = LessonPage.objects.get(pk=german.pk)
    assert len(next(iter(german.questions().values()))["options"]) == 2


def test_a_translation_is_out_of_date_when_its_source_changes(translated_lesson, content_lead):
    lesson, german = translated_lesson
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="de"
    )
    assert translation.get_status_display() == "Up to date"

    body = lesson.body.get_prep_value()
    body.insert(1, paragraph("Een nieuwe alinea."))
    lesson.body = body
    lesson.save_revision(user=content_lead).publish(user=content_lead)

    translation.refresh_from_db()
    assert translation.get_status_display() == "Waiting for translations"
    total, done = translation.get_progress()
    assert (total, done) == (total, total - 1)  # the new paragraph waits for its translation
    # Until then the German lesson stays as it was.
    assert "Een nieuwe alinea" not in str(LessonPage.objects.get(pk=german.pk).body)


def test_a_translation_goes_out_as_po_and_comes_back(translated_lesson, content_lead, client):
    lesson, german = translated_lesson
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="de"
    )
    client.force_login(content_lead)

    response = client.get(f"/admin/localize/translate/{translation.pk}/pofile/download/")
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    entry = next(e for e in po if e.msgid == "Inhoud van les 1 over Veilig e-mailen.")
    assert entry.msgstr == "Inhalt der Lektion."

    entry.msgstr = "Der neue Inhalt der Lektion."
    upload = client.post(
        f"/admin/localize/translate/{translation.pk}/pofile/upload/",
        {"file": SimpleUploadedFile("lektion.po", str(po).encode(), "text/x-gettext-translation")},
    )
    assert upload.status_code == 302
    translation.save_target(user=content_lead, publish=False)
    german = LessonPage.objects.get(pk=german.pk)
    german.get_latest_revision().publish()
    german.refresh_from_db()
    assert "Der neue Inhalt der Lektion." in str(german.body)
    assert Locale.objects.filter(language_code__in=["nl", "de", "en"]).count() == 3
    assert TranslationSource.objects.filter(object_id=lesson.translation_key).count() == 1


def test_the_translation_screens_are_for_those_who_may_edit_the_module(
    translated_lesson, trainer, client
):
    """wagtail-localize's screens decide by the page permissions of the catalogue (Wagtail's
    own, shared by every organisation like the catalogue itself) and the "submit translation"
    permission: a trainer works in them, someone who may only enter the admin is refused."""
    lesson, german = translated_lesson
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="de"
    )
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    nobody = two_factor_enable(UserFactory())
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    addresses = [
        f"/admin/pages/{german.pk}/edit/",
        f"/admin/localize/submit/page/{lesson.pk}/",
        f"/admin/localize/update/{source.pk}/",
        f"/admin/localize/translate/{translation.pk}/pofile/download/",
    ]

    client.force_login(trainer)
    editor = client.get(addresses[0]).content.decode()
    assert "Inhalt der Lektion." in editor  # the segment editor, with the German text
    assert "Inhoud van les 1 over Veilig e-mailen." in editor  # beside the Dutch original
    for address in addresses[1:]:
        assert client.get(address).status_code == 200, address

    client.force_login(nobody)
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (302, 403), address
        assert response.status_code == 403 or response["Location"] == "/admin/", address


def test_a_text_in_more_paragraphs_than_its_source_is_published_as_given(catalogue):
    module = module_create(catalogue, lessons=1)
    page_translation_publish(source=module, language="de", fields={"title": "Sicher mailen"})
    lesson = module.lessons().first()
    body = [
        {"type": "paragraph", "value": "<p>Erster Absatz.</p><p>Zweiter Absatz.</p>"},
        question(prompt="Welches Signal?"),
    ]

    german = page_translation_publish(
        source=lesson, language="de", fields={"title": "Lektion 1", "body": body}
    )

    assert german.live
    assert "<p>Erster Absatz.</p><p>Zweiter Absatz.</p>" in str(german.body[0].value)
    assert [b.id for b in german.body] == [b.id for b in lesson.body]


def test_the_pages_written_before_the_languages_are_dutch(db):
    """content/migrations/0005: the three locales exist, and every page of an installation
    from before is in Dutch (Wagtail's first locale followed LANGUAGE_CODE)."""
    import importlib

    from django.apps import apps
    from wagtail.models import Page

    migration = importlib.import_module("content.migrations.0009_content_languages")
    Locale.objects.filter(language_code__in=["de", "en"]).delete()
    legacy = Locale.objects.create(language_code="nl-nl")
    root = Page.get_first_root_node()
    Page.objects.filter(pk=root.pk).update(locale=legacy)

    migration.locales_create(apps, None)

    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"nl", "de", "en"}
    assert Page.objects.get(pk=root.pk).locale.language_code == "nl"
