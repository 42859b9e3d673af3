"""Module statistics for trainers: how many enrol and complete, how long it takes, which
questions are hard. Figures only, never names."""

import datetime
from dataclasses import dataclass
from statistics import median

from django.db.models import Q

from content.models import LessonPage, ModulePage
from content.translations import source_of
from lms.models import (
    CheckAttempt,
    Enrolment,
)
from people.access import organisations_administered


@dataclass
class QuestionFigure:
    lesson: LessonPage
    prompt: str
    first_tries: int
    first_try_correct: int

    @property
    def correct_share(self) -> int | None:
        if not self.first_tries:
            return None
        return round(100 * self.first_try_correct / self.first_tries)


@dataclass
class ModuleFigures:
    """Figures about a module for its trainers: how many take it and finish it, how long it
    takes, and which questions confuse people. No names: trainers see figures only."""

    enrolments: int
    completions: int
    median_duration: datetime.timedelta | None
    questions: list[QuestionFigure]

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completions / self.enrolments) if self.enrolments else None


def learners_administered_by(user) -> Q:
    """The learners whose figures ``user`` sees, as a filter on Enrolment: the staff of the
    organisations they administer (people/access.py); everyone for a platform administrator."""
    ids = organisations_administered(user).ids
    return Q() if ids is None else Q(learner__employee__organisation__in=ids)


def module_figures(*, module: ModulePage, user) -> ModuleFigures:
    """The figures of ``module`` over the learners of the organisations ``user`` administers,
    in all its languages (the records name the source; its questions keep their ids in every
    translation)."""
    module = source_of(module)
    own = learners_administered_by(user)
    enrolments = Enrolment.objects.filter(own, module=module, started_at__isnull=False)
    durations = [
        completed - started
        for started, completed in enrolments.filter(completed_at__isnull=False).values_list(
            "started_at", "completed_at"
        )
    ]
    first_tries: dict[str, list[int]] = {}
    attempts = CheckAttempt.objects.filter(
        enrolment__in=Enrolment.all_cycles.filter(own, module=module), number=1
    )
    for results in attempts.values_list("results", flat=True):
        for question_id, correct in results.items():
            tally = first_tries.setdefault(question_id, [0, 0])
            tally[0] += 1
            tally[1] += bool(correct)
    questions = [
        QuestionFigure(
            lesson=lesson,
            prompt=question["prompt"],
            first_tries=first_tries.get(question_id, [0, 0])[0],
            first_try_correct=first_tries.get(question_id, [0, 0])[1],
        )
        for lesson in module.lessons()
        for question_id, question in lesson.questions().items()
    ]
    return ModuleFigures(
        enrolments=enrolments.count(),
        completions=len(durations),
        median_duration=median(durations) if durations else None,
        questions=questions,
    )
