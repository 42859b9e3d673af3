import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.learning.services import enrolment_start, lesson_mark_read
from lms.models import Assignment, CheckAttempt, Enrolment, LessonProgress
from people.models import OrgUnit
from tests.factories import employee_create, module_create
from tests.lms.test_services import answer, options_of


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Veilig e-mailen", lessons=2)


def submit(client, lesson, number, answers):
    data = {"attempt": number}
    for question_id, chosen in answers.items():
        data[f"question-{question_id}"] = chosen
    return client.post(reverse("lms:attempt_submit", args=[lesson.pk]), data)


def test_starting_a_module_leads_to_its_first_unfinished_lesson(client, learner, module):
    client.force_login(learner)
    first, second = module.lessons()
    lesson_mark_read(learner=learner, lesson=first, acting_user=learner)
    answer(learner, first, 1, right=True)

    response = client.post(reverse("lms:module_start", args=[module.pk]))

    assert response.status_code == 302 and response["Location"] == second.url
    assert Enrolment.objects.filter(learner=learner, module=module).count() == 1


def test_state_changes_need_post_and_a_login(client, learner, module):
    lesson = module.lessons().first()
    assert client.post(reverse("lms:module_start", args=[module.pk])).status_code == 302
    assert client.post(reverse("lms:lesson_read", args=[lesson.pk])).status_code == 302
    assert not Enrolment.objects.exists()

    client.force_login(learner)
    assert client.get(reverse("lms:module_start", args=[module.pk])).status_code == 405
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("url_name", ["lms:module_start", "lms:lesson_read", "lms:attempt_submit"])
def test_unknown_or_unpublished_pages_are_not_found(client, learner, catalogue, url_name):
    draft = module_create(catalogue, title="Concept", publish=False, lessons=1)
    page = draft if url_name == "lms:module_start" else draft.get_children().first()
    client.force_login(learner)

    assert client.post(reverse(url_name, args=[page.pk]), {"attempt": 1}).status_code == 404
    assert client.post(reverse(url_name, args=[999_999]), {"attempt": 1}).status_code == 404
    assert not Enrolment.objects.exists()


def test_a_lesson_id_in_the_wrong_place_is_not_found(client, learner, module):
    client.force_login(learner)
    lesson = module.lessons().first()
    # A lesson id where a module id belongs, and the other way round.
    assert client.post(reverse("lms:module_start", args=[lesson.pk])).status_code == 404
    assert client.post(reverse("lms:lesson_read", args=[module.pk])).status_code == 404


def test_the_answer_key_reaches_the_browser_only_once_a_retry_cannot_use_it(
    client, learner, module
):
    client.force_login(learner)
    lesson = module.lessons().first()
    question_id, right, wrong = options_of(lesson)

    before = client.get(lesson.url).content.decode()
    submit(client, lesson, 1, {question_id: [wrong]})
    failed = client.get(lesson.url).content.decode()

    assert "FEEDBACK-FOUT" not in before and "FEEDBACK-GOED" not in before
    assert 'name="attempt" value="1"' in before
    # Another attempt is possible: right or wrong only, no right answer, no explanation.
    assert "Niet goed beantwoord" in failed
    assert "FEEDBACK-FOUT" not in failed and "FEEDBACK-GOED" not in failed
    assert "Juiste antwoord" not in failed and "option--correct" not in failed
    assert 'name="attempt"' not in failed  # results first; a retry is asked for explicitly

    retry = client.get(lesson.url, {"opnieuw": "1"}).content.decode()
    assert 'name="attempt" value="2"' in retry
    submit(client, lesson, 2, {question_id: [right]})
    passed = client.get(lesson.url).content.decode()
    assert "FEEDBACK-GOED" in passed and "option--correct" in passed


def test_after_the_only_attempt_the_answer_key_shows(client, learner, catalogue):
    module = module_create(catalogue, title="Eén poging", lessons=1)
    module.retries_allowed = False
    module.save_revision().publish()
    client.force_login(learner)
    lesson = module.lessons().first()
    question_id, _right, wrong = options_of(lesson)

    submit(client, lesson, 1, {question_id: [wrong]})
    page = client.get(lesson.url).content.decode()

    assert "FEEDBACK-FOUT" in page and "FEEDBACK-GOED" in page and "option--correct" in page


def test_a_double_submit_stores_one_attempt(client, learner, module):
    client.force_login(learner)
    lesson = module.lessons().first()
    question_id, _right, wrong = options_of(lesson)

    first = submit(client, lesson, 1, {question_id: [wrong]})
    second = submit(client, lesson, 1, {question_id: [wrong]})

    assert first.status_code == second.status_code == 302
    assert CheckAttempt.objects.count() == 1
    messages = [str(m) for m in second.wsgi_request._messages]
    assert messages  # the second submit is told why nothing happened


@pytest.mark.parametrize(
    "data",
    [
        {"attempt": "abc"},
        {"attempt": "0"},
        {},
    ],
)
def test_a_tampered_attempt_number_is_a_bad_request(client, learner, module, data):
    client.force_login(learner)
    lesson = module.lessons().first()
    question_id, right, _ = options_of(lesson)
    response = client.post(
        reverse("lms:attempt_submit", args=[lesson.pk]), {**data, f"question-{question_id}": right}
    )
    assert response.status_code == 400
    assert not CheckAttempt.objects.exists()


def test_an_unknown_option_gets_a_message_and_stores_nothing(client, learner, module):
    client.force_login(learner)
    lesson = module.lessons().first()
    question_id, _right, _wrong = options_of(lesson)

    response = submit(client, lesson, 1, {question_id: ["not-an-option"]})

    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages]
    assert not CheckAttempt.objects.exists()
    assert not LessonProgress.objects.exists()


def test_answers_for_another_lessons_questions_are_refused(client, learner, module):
    client.force_login(learner)
    first, second = module.lessons()
    other_question, other_right, _ = options_of(second)

    submit(client, first, 1, {other_question: [other_right]})

    assert not CheckAttempt.objects.exists()


def test_another_learner_sees_nothing_of_my_attempts_and_cannot_change_them(
    client, learner, colleague, module
):
    lesson = module.lessons().first()
    question_id, right, _wrong = options_of(lesson)
    answer(learner, lesson, 1, right=False)

    client.force_login(colleague)
    page = client.get(lesson.url).content.decode()
    my_learning = client.get(reverse("lms:my_learning")).content.decode()
    submit(client, lesson, 2, {question_id: [right]})  # my next attempt number

    assert "FEEDBACK-FOUT" not in page and 'name="attempt" value="1"' in page
    assert "Veilig e-mailen" not in my_learning
    assert CheckAttempt.objects.filter(enrolment__learner=learner).count() == 1
    assert not CheckAttempt.objects.filter(enrolment__learner=colleague).exists()


def test_my_learning_shows_progress_assignments_and_completions(
    client, learner, content_lead, catalogue
):
    in_progress = module_create(catalogue, title="Bezig-module", lessons=2)
    done = module_create(catalogue, title="Klaar-module", lessons=1)
    assigned = module_create(catalogue, title="Opdracht-module", lessons=1)
    enrolment_start(learner=learner, module=in_progress, acting_user=learner)
    lesson = done.lessons().first()
    lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)
    answer(learner, lesson, 1, right=True)
    Assignment.objects.create(
        employee=employee_create(org_unit=OrgUnit.add_root(name="Gemeente Teststad"), user=learner),
        module=assigned,
        assigned_by=content_lead,
        assigned_on=timezone.localdate() - datetime.timedelta(days=20),
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    client.force_login(learner)

    response = client.get(reverse("lms:my_learning"))

    sections = response.context
    assert [r["module"].title for r in sections["in_progress"]] == ["Bezig-module"]
    assert [r["module"].title for r in sections["completed"]] == ["Klaar-module"]
    assert [r["module"].title for r in sections["assigned"]] == ["Opdracht-module"]
    assert sections["assigned"][0]["state"] == "overdue"
    html = response.content.decode()
    assert "tag--overdue" in html
    assert sections["in_progress"][0]["continue_lesson"] == in_progress.lessons().first()


def test_my_learning_needs_a_login(client, db):
    response = client.get(reverse("lms:my_learning"))
    assert response.status_code == 302


def _queries(client, url):
    client.get(url)  # warm Wagtail's cache of site root paths, which the first request fills
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.usefixtures("rendered_pages")
def test_my_learning_runs_the_same_queries_for_few_and_many_enrolments(client, learner, catalogue):
    client.force_login(learner)
    modules = [module_create(catalogue, title=f"Module {n}", lessons=2) for n in range(6)]
    for module in modules[:2]:
        enrolment_start(learner=learner, module=module, acting_user=learner)
    few = _queries(client, reverse("lms:my_learning"))
    for module in modules[2:]:
        enrolment_start(learner=learner, module=module, acting_user=learner)
        lesson = module.lessons().first()
        lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)

    assert _queries(client, reverse("lms:my_learning")) == few


@pytest.mark.usefixtures("rendered_pages")
def test_the_module_page_runs_the_same_queries_for_few_and_many_lessons(client, learner, catalogue):
    client.force_login(learner)
    small = module_create(catalogue, title="Klein", lessons=2)
    large = module_create(catalogue, title="Groot", lessons=6)
    for module in (small, large):
        enrolment_start(learner=learner, module=module, acting_user=learner)
        for lesson in module.lessons()[:2]:
            lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)

    assert _queries(client, small.url) == _queries(client, large.url)


@pytest.mark.usefixtures("rendered_pages")
def test_the_catalogue_runs_the_same_queries_for_few_and_many_modules(client, learner, catalogue):
    client.force_login(learner)
    for n in range(2):
        enrolment_start(
            learner=learner, module=module_create(catalogue, title=f"A{n}"), acting_user=learner
        )
    few = _queries(client, catalogue.url)
    for n in range(4):
        enrolment_start(
            learner=learner, module=module_create(catalogue, title=f"B{n}"), acting_user=learner
        )

    assert _queries(client, catalogue.url) == few
