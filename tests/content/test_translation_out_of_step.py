"""A translation whose original gains a question after it was translated: the translation cannot
stay live (grading uses the original's questions, so no one could pass it), its readers get the
original marked as such, an editor who saves it is told plainly to translate it again, and a
module review that would publish it is refused whole with that message."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail_localize.models import Translation

from content.models import LessonPage, ModulePage
from content.translations import page_translation_publish
from lms.models import CheckAttempt
from tests.factories import module_create, paragraph, question

pytestmark = pytest.mark.django_db

CHANGED = "sinds het vertaald werd (het origineel heeft 2 vragen, deze vertaling 1)"


def in_german(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="de")


@pytest.fixture
def lesson(catalogue):
    """A one-lesson module translated into German whole; the lesson has one question."""
    module = module_create(catalogue, lessons=1)
    page_translation_publish(
        source=module, language="de", fields={"title": "Sicher mailen", "slug": "sicher-mailen"}
    )
    lesson = module.lessons().first()
    page_translation_publish(
        source=lesson,
        language="de",
        fields={
            "title": "Lektion 1",
            "slug": "lektion-1",
            "body": [paragraph("Inhalt der Lektion."), question(prompt="Welches Signal?")],
        },
    )
    return lesson


def gain_a_question(lesson, user):
    body = lesson.body.get_prep_value()
    body.append(question(prompt="Wat doe je met een verdachte bijlage?"))
    lesson.body = body
    lesson.save_revision(user=user).publish(user=user)
    return LessonPage.objects.get(pk=lesson.pk)


def test_a_translation_goes_offline_when_its_original_gains_a_question(
    lesson, content_lead, client, learner
):
    lesson = gain_a_question(lesson, content_lead)

    german = in_german(lesson)
    assert not german.live
    assert len(german.questions()) == 1  # kept as it was, for the translator
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="de"
    )
    assert translation.get_status_display() == "Waiting for translations"

    # A German reader gets the original, marked as Dutch, and can pass its two questions.
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "noch nicht in Ihre Sprache übersetzt" in html
    assert '<div class="lesson__body" lang="nl">' in html
    assert html.count('<fieldset class="question') == 2
    answers = {"attempt": 1}
    for question_id, value in lesson.questions().items():
        right = next(o.id for o in value["options"].bound_blocks if o.value["correct"])
        answers[f"question-{question_id}"] = right
    client.post(f"/leren/lessen/{lesson.pk}/kennischeck/", answers)
    assert CheckAttempt.objects.get().passed


def test_an_edit_of_the_old_translation_is_refused_saying_to_translate_it_again(
    lesson, content_lead
):
    gain_a_question(lesson, content_lead)
    german = in_german(lesson)
    german.title = "Lektion 1 (überarbeitet)"

    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        german.save_revision(user=content_lead)

    message = " ".join(refused.value.messages)
    assert CHANGED in message
    assert "Vertaal de les opnieuw" in message and "vertaaleditor" in message
    assert not in_german(lesson).live


def test_the_translation_editor_publishes_it_again_with_the_new_question(
    lesson, content_lead, client, django_capture_on_commit_callbacks
):
    lesson = gain_a_question(lesson, content_lead)
    german = in_german(lesson)
    client.force_login(content_lead)

    # wagtail-localize publishes once the editor's transaction is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{german.pk}/edit/", {"action": "publish"})

    assert response.status_code == 302
    german = in_german(lesson)
    assert german.live
    assert list(german.questions()) == list(lesson.questions())
    assert next(iter(german.questions().values()))["prompt"] == "Welches Signal?"


def test_a_module_review_with_an_out_of_date_translated_lesson_publishes_nothing(
    lesson, content_lead, trainer, client
):
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale__language_code="de"
    )
    translation.save_target(user=trainer, publish=False)  # a German draft, then the original
    gain_a_question(lesson, content_lead)  # gains a question
    german_module = in_german(lesson.get_parent().specific)
    german_module.summary = "Neue Zusammenfassung."
    german_module.save_revision(user=trainer)
    workflow_state = german_module.get_workflow().start(german_module, trainer)
    client.force_login(content_lead)

    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[german_module.pk, "approve", workflow_state.current_task_state.pk],
        ),
        {"comment": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[german_module.pk])
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "De module is niet goedgekeurd en er is niets van gepubliceerd" in message
    assert "‘Lektion 1’" in message and CHANGED in message
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert ModulePage.objects.get(pk=german_module.pk).summary != "Neue Zusammenfassung."
    assert not LessonPage.objects.get(pk=in_german(lesson).pk).live
