import pytest

from content.models import LessonPage
from core.models import AuditEntry
from lms.demo import lesson_finish
from lms.learning.selectors import module_statuses
from lms.learning.services import LearningError, attempt_submit, enrolment_start, lesson_mark_read
from lms.models import CheckAttempt, Enrolment, LessonProgress
from tests.factories import module_create, paragraph


def options_of(lesson):
    """The stored option ids of the lesson's only question: (question id, right id, wrong id)."""
    lesson = LessonPage.objects.get(pk=lesson.pk)
    ((question_id, question),) = lesson.questions().items()
    right = next(o.id for o in question["options"].bound_blocks if o.value["correct"])
    wrong = next(o.id for o in question["options"].bound_blocks if not o.value["correct"])
    return question_id, right, wrong


def answer(learner, lesson, number, *, right):
    """Submit attempt ``number`` at the lesson's single question, rightly or wrongly."""
    question_id, right_option, wrong_option = options_of(lesson)
    chosen = right_option if right else wrong_option
    return attempt_submit(
        learner=learner,
        lesson=lesson,
        number=number,
        answers={question_id: [chosen]},
        acting_user=learner,
    )


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Veilig e-mailen", lessons=2)


def test_starting_twice_gives_one_enrolment_and_one_audit_entry(learner, module):
    first = enrolment_start(learner=learner, module=module, acting_user=learner)
    second = enrolment_start(learner=learner, module=module, acting_user=learner)

    assert first.pk == second.pk
    assert Enrolment.objects.count() == 1
    assert AuditEntry.objects.filter(action="lms.enrolment.start").count() == 1


def test_a_lesson_with_a_check_is_done_only_when_read_and_passed(learner, module):
    lesson = module.lessons().first()

    progress = lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)
    assert progress.read_at and not progress.completed_at

    answer(learner, lesson, 1, right=True)
    progress.refresh_from_db()
    assert progress.completed_at


def test_a_failed_attempt_is_stored_and_a_retry_is_a_new_attempt(learner, module):
    lesson = module.lessons().first()
    question_id, _right, wrong = options_of(lesson)

    failed = answer(learner, lesson, 1, right=False)
    passed = answer(learner, lesson, 2, right=True)

    assert (failed.score, failed.passed, failed.answers) == (0, False, {question_id: [wrong]})
    assert (passed.number, passed.score, passed.passed) == (2, 100, True)
    assert failed.submitted_at <= passed.submitted_at


def test_the_same_attempt_submitted_twice_gives_one_result(learner, module):
    lesson = module.lessons().first()
    answer(learner, lesson, 1, right=False)

    with pytest.raises(LearningError):
        answer(learner, lesson, 1, right=False)
    assert CheckAttempt.objects.count() == 1


def test_no_retry_when_the_module_forbids_it(learner, catalogue):
    module = module_create(catalogue, retries_allowed=False, lessons=1)
    lesson = module.lessons().first()
    answer(learner, lesson, 1, right=False)

    with pytest.raises(LearningError):
        answer(learner, lesson, 2, right=True)
    assert CheckAttempt.objects.count() == 1


def test_a_passed_check_takes_no_more_attempts(learner, module):
    lesson = module.lessons().first()
    answer(learner, lesson, 1, right=True)
    with pytest.raises(LearningError):
        answer(learner, lesson, 2, right=True)


@pytest.mark.parametrize(
    "answers",
    [
        "unknown-question",
        "unknown-option",
        "option-of-another-lesson",
        "two-answers-to-a-single-choice",
        "nothing",
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(learner, module, answers):
    first, second = module.lessons()
    question_id, right, wrong = options_of(first)
    _other_question, other_right, _ = options_of(second)
    answers = {
        "unknown-question": {"not-a-question": ["x"]},
        "nothing": {},
        "unknown-option": {question_id: ["3f0c0000-0000-0000-0000-000000000000"]},
        "option-of-another-lesson": {question_id: [other_right]},
        "two-answers-to-a-single-choice": {question_id: [right, wrong]},
    }[answers]

    with pytest.raises(LearningError):
        attempt_submit(
            learner=learner, lesson=first, number=1, answers=answers, acting_user=learner
        )
    assert not CheckAttempt.objects.exists()
    assert not LessonProgress.objects.exists()


def test_completion_is_recorded_once_and_survives_a_new_lesson(learner, module):
    for lesson in module.lessons():
        lesson_finish(learner, lesson)
    enrolment = Enrolment.objects.get()
    completed_at = enrolment.completed_at
    assert completed_at

    new_lesson = LessonPage(title="Nieuw", body=[paragraph("Nieuwe inhoud")], live=False)
    module.add_child(instance=new_lesson)
    new_lesson.save_revision().publish()
    lesson_mark_read(learner=learner, lesson=new_lesson, acting_user=learner)

    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert AuditEntry.objects.filter(action="lms.enrolment.complete").count() == 1


def test_a_lesson_added_after_completion_shows_as_new(learner, module):
    for lesson in module.lessons():
        lesson_finish(learner, lesson)
    new_lesson = LessonPage(title="Nieuw", body=[paragraph("Nieuwe inhoud")], live=False)
    module.add_child(instance=new_lesson)
    new_lesson.save_revision().publish()

    status = module_statuses(learner=learner, modules=[module])[module.pk]

    assert status.state == "completed"
    assert status.new_lesson_count == 1
    assert status.percent == 100


def test_progress_counts_lessons_done_of_the_live_lessons(learner, catalogue):
    module = module_create(catalogue, lessons=4)
    lesson = module.lessons().first()
    lesson_finish(learner, lesson)

    status = module_statuses(learner=learner, modules=[module])[module.pk]

    assert (status.state, status.lessons_done, status.lessons_total, status.percent) == (
        "in_progress",
        1,
        4,
        25,
    )
