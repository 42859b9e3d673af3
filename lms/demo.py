"""Demo progress, so that "Mijn leren" and the module figures show real states on first start."""

import datetime

from django.utils import timezone

from content.models import LessonPage, ModulePage
from lms.models import Enrolment
from lms.services import attempt_submit, enrolment_assign, enrolment_start, lesson_mark_read
from people.models import User


def demo_progress_load(*, learner: User, manager: User) -> None:
    """Give the demo employee one completed module, one in progress and one assigned by their
    manager, past its due date. Does nothing when the employee has any enrolment already."""
    if Enrolment.objects.filter(learner=learner).exists():
        return
    modules = {m.slug: m for m in ModulePage.objects.live()}
    completed = modules.get("phishing-herkennen")
    in_progress = modules.get("online-samenwerken")
    assigned = modules.get("persoonsgegevens-avg")
    if completed:
        for lesson in completed.lessons():
            lesson_finish(learner, LessonPage.objects.get(pk=lesson.pk))
    if in_progress:
        enrolment_start(learner=learner, module=in_progress, acting_user=learner)
        lesson_finish(learner, LessonPage.objects.get(pk=in_progress.lessons().first().pk))
    if assigned:
        due = timezone.localdate() - datetime.timedelta(days=5)
        enrolment_assign(learner=learner, module=assigned, due_date=due, acting_user=manager)


def lesson_finish(learner: User, lesson: LessonPage) -> None:
    """Read the lesson and pass its knowledge check at the first attempt."""
    lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)
    questions = lesson.questions()
    if questions:
        answers = {
            question_id: [o.id for o in q["options"].bound_blocks if o.value["correct"]]
            for question_id, q in questions.items()
        }
        attempt_submit(
            learner=learner, lesson=lesson, number=1, answers=answers, acting_user=learner
        )
