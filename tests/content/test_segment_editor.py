"""Translating a lesson segment by segment in the admin, with the requests wagtail-localize's
editor makes: the editor lists each text of the lesson beside its original, a trainer saves
the translation of one segment at a time, and publishing puts exactly those texts live, the
questions and options keeping their ids."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from content.models import LessonPage
from content.translations import page_translation_publish
from tests.factories import module_create

pytestmark = pytest.mark.django_db


def segment(translation, text):
    return StringSegment.objects.get(source=translation.source, string__data=text)


def put_segment(client, translation, text, value):
    url = reverse(
        "wagtail_localize:edit_string_translation",
        args=[translation.pk, segment(translation, text).pk],
    )
    return client.put(
        url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded"
    )


def test_a_trainer_translates_a_lesson_segment_by_segment(
    client, catalogue, trainer, content_lead, django_capture_on_commit_callbacks
):
    module = module_create(catalogue, lessons=1)
    page_translation_publish(
        source=module, language="de", fields={"title": "Sicher mailen", "slug": "sicher-mailen"}
    )
    lesson = module.lessons().first()
    client.force_login(content_lead)
    # Translate → German: the lesson's translation, its texts still waiting.
    client.post(
        reverse("wagtail_localize:submit_page_translation", args=[lesson.pk]),
        {"locales": [Locale.objects.get(language_code="de").pk]},
    )
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="de"
    )
    german = LessonPage.objects.get(
        translation_key=lesson.translation_key, locale__language_code="de"
    )

    client.force_login(trainer)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[german.pk])).content.decode()
    for original in (
        "Veilig e-mailen: les 1",
        "Inhoud van les 1 over Veilig e-mailen.",
        "Welk signaal wijst op phishing?",
        "Haast en dreiging",
        "FEEDBACK-GOED",
    ):
        assert original in editor, original
    texts = {
        "Veilig e-mailen: les 1": "Sicher mailen: Lektion 1",
        "Inhoud van les 1 over Veilig e-mailen.": "Inhalt der Lektion 1.",
        "Welk signaal wijst op phishing?": "Welches Signal deutet auf Phishing hin?",
        "Haast en dreiging": "Eile und Drohung",
        "Je eigen naam": "Ihr eigener Name",
        "FEEDBACK-GOED": "RICHTIG",
        "FEEDBACK-FOUT": "FALSCH",
    }
    for original, value in texts.items():
        assert put_segment(client, translation, original, value).status_code in (200, 201)
    total, done = translation.get_progress()
    assert done == len(texts) and total >= done

    client.force_login(content_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[german.pk]), {"action": "publish"}
        )

    assert response.status_code == 302
    german = LessonPage.objects.get(pk=german.pk)
    assert german.live and german.title == "Sicher mailen: Lektion 1"
    assert "Inhalt der Lektion 1." in str(german.body[0].value)
    ((prompt_id, value),) = german.questions().items()
    assert value["prompt"] == "Welches Signal deutet auf Phishing hin?"
    assert [o.value["text"] for o in value["options"].bound_blocks] == [
        "Eile und Drohung",
        "Ihr eigener Name",
    ]
    assert [o.value["feedback"] for o in value["options"].bound_blocks] == ["RICHTIG", "FALSCH"]
    source_question = lesson.questions()
    assert list(source_question) == [prompt_id]
    assert [o.id for o in value["options"].bound_blocks] == [
        o.id for o in source_question[prompt_id]["options"].bound_blocks
    ]
