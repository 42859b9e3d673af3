"""What an employee does while learning. Every write runs in one transaction, takes the acting
user and leaves an audit entry; double clicks and concurrent requests give one result.

Each service takes a module or lesson in any of its languages and records what happens
against its source (``content.translations.source_of``): the learning belongs to the module,
not to the language version the learner happened to read."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import LessonPage, ModulePage
from content.translations import source_of
from core.audit import audit_log
from lms.completion import module_completed
from lms.models import CheckAttempt, Enrolment, LessonProgress
from lms.training.assignments import renewal_open
from people.models import User


class LearningError(Exception):
    """A request the learner cannot make; the message says why, in their language."""


def enrolment_start(*, learner: User, module: ModulePage, acting_user: User) -> Enrolment:
    """Start (or continue) the learner's enrolment in a module. Idempotent."""
    module = source_of(module)
    with transaction.atomic():
        # get_or_create: a concurrent first request may create it at the same moment.
        enrolment, created = Enrolment.objects.get_or_create(
            learner=learner, module=module, defaults={"started_at": timezone.now()}
        )
        if created:
            audit_log(actor=acting_user, action="lms.enrolment.start", target=enrolment)
    return enrolment


def enrolment_renew(*, learner: User, module: ModulePage, acting_user: User) -> Enrolment:
    """Take a completed module again because mandatory training asks to renew it: the
    completed enrolment is archived with its progress and certificate, and a new one starts."""
    module = source_of(module)
    with transaction.atomic():
        current = Enrolment.objects.select_for_update().filter(learner=learner, module=module)
        current = current.first()
        if current is None or not current.is_completed:
            return enrolment_start(learner=learner, module=module, acting_user=acting_user)
        if not renewal_open(user=learner, module=module):
            raise LearningError(_("This module is not due for renewal yet."))
        current.archived_at = timezone.now()
        current.save(update_fields=["archived_at"])
        audit_log(actor=acting_user, action="lms.enrolment.archive", target=current)
        return enrolment_start(learner=learner, module=module, acting_user=acting_user)


def lesson_mark_read(*, learner: User, lesson: LessonPage, acting_user: User) -> LessonProgress:
    """Record that the learner has read the lesson; completes it (and the module) when done."""
    lesson = source_of(lesson)
    module = lesson.get_parent().specific
    with transaction.atomic():
        enrolment = _locked_enrolment(learner=learner, module=module, acting_user=acting_user)
        progress, _created = LessonProgress.objects.get_or_create(
            enrolment=enrolment, lesson=lesson
        )
        if progress.read_at is None:
            progress.read_at = timezone.now()
            progress.save(update_fields=["read_at"])
            audit_log(actor=acting_user, action="lms.lesson.read", target=progress)
        _lesson_complete_if_done(progress, lesson=lesson, acting_user=acting_user)
    return progress


def attempt_submit(
    *,
    learner: User,
    lesson: LessonPage,
    number: int,
    answers: dict[str, list[str]],
    acting_user: User,
) -> CheckAttempt:
    """Grade and store attempt ``number`` at the lesson's knowledge check.

    ``number`` comes from the form the learner answered: a second submit of the same form (a
    double click, another tab) finds that attempt already taken and is refused, so one form
    gives one result. Answers are checked against the questions and options of the lesson's
    source, which every translation shares (by block id).
    """
    lesson = source_of(lesson)
    questions = lesson.questions()
    if not questions:
        raise LearningError(_("This lesson has no knowledge check."))
    results, score = grade(questions, answers)
    module = lesson.get_parent().specific
    with transaction.atomic():
        enrolment = _locked_enrolment(learner=learner, module=module, acting_user=acting_user)
        previous = list(
            CheckAttempt.objects.filter(enrolment=enrolment, lesson=lesson).values_list(
                "number", "passed"
            )
        )
        if number != len(previous) + 1:
            raise LearningError(_("These answers were already submitted."))
        if any(passed for _number, passed in previous):
            raise LearningError(_("You have already passed this knowledge check."))
        if previous and not module.retries_allowed:
            raise LearningError(_("This module does not allow another attempt."))
        attempt = CheckAttempt.objects.create(
            enrolment=enrolment,
            lesson=lesson,
            number=number,
            answers=answers,
            results=results,
            score=score,
            passed=score >= module.pass_mark,
        )
        audit_log(
            actor=acting_user,
            action="lms.attempt.submit",
            target=attempt,
            score=score,
            passed=attempt.passed,
        )
        if attempt.passed:
            progress, _created = LessonProgress.objects.get_or_create(
                enrolment=enrolment, lesson=lesson
            )
            progress.checks_passed_at = attempt.submitted_at
            progress.save(update_fields=["checks_passed_at"])
            _lesson_complete_if_done(progress, lesson=lesson, acting_user=acting_user)
    return attempt


def grade(questions: dict, answers: dict[str, list[str]]) -> tuple[dict[str, bool], int]:
    """Compare the chosen options with the answer key. A question is right when exactly the
    correct options are chosen. Unknown questions or options are refused, not ignored."""
    unknown = set(answers) - set(questions)
    if unknown:
        raise LearningError(_("The answers do not belong to this lesson."))
    results = {}
    for question_id, question in questions.items():
        options = {child.id: child.value["correct"] for child in question["options"].bound_blocks}
        chosen = set(answers.get(question_id, []))
        if not chosen:
            raise LearningError(_("Answer every question before you submit."))
        if not chosen <= set(options):
            raise LearningError(_("The answers do not belong to this lesson."))
        if question["kind"] != "multiple" and len(chosen) != 1:
            raise LearningError(_("Choose one answer for each single-choice question."))
        results[question_id] = chosen == {oid for oid, correct in options.items() if correct}
    score = round(100 * sum(results.values()) / len(results))
    return results, score


def _locked_enrolment(*, learner: User, module: ModulePage, acting_user: User) -> Enrolment:
    """The learner's enrolment, started if needed, locked for the rest of the transaction so
    that concurrent requests for the same learner and module run one after the other."""
    enrolment = enrolment_start(learner=learner, module=module, acting_user=acting_user)
    return Enrolment.objects.select_for_update().get(pk=enrolment.pk)


def _lesson_complete_if_done(
    progress: LessonProgress, *, lesson: LessonPage, acting_user: User
) -> None:
    if progress.completed_at is not None or progress.read_at is None:
        return
    if lesson.questions() and progress.checks_passed_at is None:
        return
    progress.completed_at = timezone.now()
    progress.save(update_fields=["completed_at"])
    audit_log(actor=acting_user, action="lms.lesson.complete", target=progress)
    _module_complete_if_done(progress.enrolment, acting_user=acting_user)


def _module_complete_if_done(enrolment: Enrolment, *, acting_user: User) -> None:
    lesson_ids = set(enrolment.module.lessons().values_list("pk", flat=True))
    done_ids = set(
        enrolment.lesson_progress.filter(completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    if not lesson_ids <= done_ids:
        return
    # Completion is recorded once and is final, even if lessons are added later.
    completed = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    if completed:
        enrolment.refresh_from_db(fields=["completed_at"])
        audit_log(actor=acting_user, action="lms.enrolment.complete", target=enrolment)
        module_completed(enrolment=enrolment, acting_user=acting_user)
