"""Reads of a learner's progress, each a fixed number of queries however much there is."""

import datetime
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from competencies.models import Competence
from competencies.selectors import gaps_of
from content.models import LessonPage, ModuleCompetence, ModulePage
from lms.models import Certificate, CheckAttempt, Enrolment, LessonProgress
from lms.route import Candidate, fastest_route
from people.models import User


@dataclass
class ModuleStatus:
    """Where a learner stands with one module."""

    enrolment: Enrolment | None
    lessons_total: int
    lessons_done: int
    new_lesson_count: int = 0

    @property
    def state(self) -> str:
        if self.enrolment is None or self.enrolment.started_at is None:
            return "assigned" if self.enrolment else "not_started"
        return "completed" if self.enrolment.is_completed else "in_progress"

    @property
    def percent(self) -> int:
        if self.state == "completed":
            return 100
        if not self.lessons_total:
            return 0
        return min(100, round(100 * self.lessons_done / self.lessons_total))


@dataclass
class LessonState:
    """Where a learner stands with one lesson, and what they may do next."""

    enrolment: Enrolment | None
    progress: LessonProgress | None
    attempts: list[CheckAttempt] = field(default_factory=list)
    retries_allowed: bool = True
    has_questions: bool = False
    retry_requested: bool = False

    @property
    def last_attempt(self) -> CheckAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def passed(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)

    @property
    def can_attempt(self) -> bool:
        return not self.passed and (not self.attempts or self.retries_allowed)

    @property
    def check_mode(self) -> str:
        """How the knowledge check shows: ``form`` (answer it), ``result`` (the last attempt
        with its feedback) or ``closed`` (signed out, or no questions)."""
        if not self.has_questions:
            return "closed"
        if self.can_attempt and (not self.attempts or self.retry_requested):
            return "form"
        return "result" if self.attempts else "closed"

    @property
    def next_number(self) -> int:
        return len(self.attempts) + 1

    @property
    def read(self) -> bool:
        return bool(self.progress and self.progress.read_at)

    @property
    def done(self) -> bool:
        return bool(self.progress and self.progress.completed_at)


def lesson_state(
    *, learner: User, lesson: LessonPage, module: ModulePage, retry_requested: bool = False
) -> LessonState:
    state = LessonState(
        enrolment=None,
        progress=None,
        retries_allowed=module.retries_allowed,
        has_questions=bool(lesson.questions()),
        retry_requested=retry_requested,
    )
    if not learner.is_authenticated:
        state.has_questions = False
        return state
    state.enrolment = Enrolment.objects.filter(learner=learner, module=module).first()
    if state.enrolment is not None:
        state.progress = LessonProgress.objects.filter(
            enrolment=state.enrolment, lesson=lesson
        ).first()
        state.attempts = list(CheckAttempt.objects.filter(enrolment=state.enrolment, lesson=lesson))
    return state


def module_statuses(*, learner: User, modules: list[ModulePage]) -> dict[int, ModuleStatus]:
    """Status of each module for the learner, in three queries for any number of modules."""
    if not modules or not learner.is_authenticated:
        return {}
    module_ids = [module.pk for module in modules]
    enrolments = {
        e.module_id: e
        for e in Enrolment.objects.filter(learner=learner, module_id__in=module_ids).annotate(
            lessons_done=Count(
                "lesson_progress",
                filter=Q(
                    lesson_progress__completed_at__isnull=False,
                    lesson_progress__lesson__live=True,
                ),
            )
        )
    }
    lesson_counts = _live_lesson_counts(modules)
    new_counts = _new_lesson_counts(modules, enrolments)
    return {
        module.pk: ModuleStatus(
            enrolment=enrolments.get(module.pk),
            lessons_total=lesson_counts.get(module.path, 0),
            lessons_done=getattr(enrolments.get(module.pk), "lessons_done", 0),
            new_lesson_count=new_counts.get(module.pk, 0),
        )
        for module in modules
    }


def done_lesson_ids(*, learner: User, module: ModulePage) -> set[int]:
    if not learner.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(
            enrolment__learner=learner, enrolment__module=module, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def continue_lessons(*, enrolments: list[Enrolment]) -> dict[int, LessonPage]:
    """For each enrolment, the first live lesson not yet done ("continue where you left off")."""
    if not enrolments:
        return {}
    modules = {e.module.path: e for e in enrolments}
    done = set(
        LessonProgress.objects.filter(
            enrolment__in=enrolments, completed_at__isnull=False
        ).values_list("enrolment_id", "lesson_id")
    )
    depth = enrolments[0].module.depth + 1
    lessons = (
        LessonPage.objects.live()
        .filter(depth=depth)
        .annotate(parent_path=Substr("path", 1, len(enrolments[0].module.path)))
        .filter(parent_path__in=list(modules))
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path")
    )
    result = {}
    for lesson in lessons:
        enrolment = modules[lesson.parent_path]
        if enrolment.pk not in result and (enrolment.pk, lesson.pk) not in done:
            result[enrolment.pk] = lesson
    return result


def my_learning(*, learner: User, today=None) -> dict:
    """Everything on the learner's "Mijn leren" page."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(learner=learner, module__live=True)
        .select_related("module", "assigned_by")
        .order_by("due_date", "-started_at", "module__title")
    )
    statuses = module_statuses(learner=learner, modules=[e.module for e in enrolments])
    continues = continue_lessons(enrolments=[e for e in enrolments if not e.is_completed])
    rows = [
        {
            "enrolment": e,
            "module": e.module,
            "status": statuses[e.module_id],
            "continue_lesson": continues.get(e.pk),
            "overdue": e.is_overdue(today),
        }
        for e in enrolments
    ]
    # A certificate that expires within 30 days (or has) brings the module back, for renewal.
    renewals = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(
            enrolment__in=[e for e in enrolments if e.is_completed],
            revoked_at__isnull=True,
            valid_until__lte=today + datetime.timedelta(days=30),
        )
    }
    for row in rows:
        row["renewal"] = renewals.get(row["enrolment"].pk)
    return {
        "renewal": [r for r in rows if r["renewal"]],
        "assigned": [
            r for r in rows if r["enrolment"].assigned_at and not r["enrolment"].is_completed
        ],
        "in_progress": [
            r
            for r in rows
            if r["enrolment"].started_at
            and not r["enrolment"].is_completed
            and not r["enrolment"].assigned_at
        ],
        "completed": sorted(
            (r for r in rows if r["enrolment"].is_completed),
            key=lambda r: r["enrolment"].completed_at,
            reverse=True,
        ),
    }


def _live_lesson_counts(modules: list[ModulePage]) -> dict[str, int]:
    path_length = len(modules[0].path)
    return dict(
        LessonPage.objects.live()
        .filter(depth=modules[0].depth + 1)
        .annotate(parent_path=Substr("path", 1, path_length))
        .filter(parent_path__in=[module.path for module in modules])
        .order_by()
        .values("parent_path")
        .annotate(count=Count("id"))
        .values_list("parent_path", "count")
    )


def _new_lesson_counts(modules: list[ModulePage], enrolments: dict[int, Enrolment]) -> dict:
    """Lessons first published after the learner completed the module: shown as new, never
    taking the completion away."""
    completed = {
        module.path: (module.pk, enrolments[module.pk].completed_at)
        for module in modules
        if module.pk in enrolments and enrolments[module.pk].completed_at
    }
    if not completed:
        return {}
    path_length = len(modules[0].path)
    counts: dict[int, int] = {}
    lessons = (
        LessonPage.objects.live()
        .filter(depth=modules[0].depth + 1)
        .annotate(parent_path=Substr("path", 1, path_length))
        .filter(parent_path__in=list(completed))
        .values_list("parent_path", "first_published_at")
    )
    for parent_path, published in lessons:
        module_id, completed_at = completed[parent_path]
        if published and published > completed_at:
            counts[module_id] = counts.get(module_id, 0) + 1
    return counts


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


def module_figures(*, module: ModulePage) -> ModuleFigures:
    enrolments = Enrolment.objects.filter(module=module, started_at__isnull=False)
    durations = [
        completed - started
        for started, completed in enrolments.filter(completed_at__isnull=False).values_list(
            "started_at", "completed_at"
        )
    ]
    first_tries: dict[str, list[int]] = {}
    for results in CheckAttempt.objects.filter(enrolment__module=module, number=1).values_list(
        "results", flat=True
    ):
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


@dataclass
class Route:
    modules: list[ModulePage]
    minutes: int
    unclosable: list  # competences no module closes yet


def skills_route(*, employee) -> Route:
    """The modules that close the employee's gaps in the least total study time."""
    gaps = gaps_of(employee=employee)
    if not gaps:
        return Route([], 0, [])
    awards: dict[int, dict[int, int]] = {}
    for module_id, competence_id, level in ModuleCompetence.objects.filter(
        module__live=True, competence_id__in=gaps
    ).values_list("module_id", "competence_id", "level_awarded"):
        awards.setdefault(module_id, {})[competence_id] = level
    modules = {m.pk: m for m in ModulePage.objects.live().filter(pk__in=awards)}
    candidates = [
        Candidate(module_id=pk, minutes=module.estimated_minutes, awards=awards[pk])
        for pk, module in modules.items()
    ]
    chosen, unclosable = fastest_route(gaps, candidates)
    return Route(
        modules=sorted((modules[c.module_id] for c in chosen), key=lambda m: m.title),
        minutes=sum(c.minutes for c in chosen),
        unclosable=list(Competence.objects.filter(pk__in=unclosable).order_by("code")),
    )
