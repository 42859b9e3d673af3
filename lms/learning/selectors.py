"""Reads of a learner's progress, each a fixed number of queries however much there is."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from content.models import LessonPage, ModulePage, live_lessons
from content.translations import source_of, sources_of
from core.prepared import PreparedQuery
from lms.models import (
    Assignment,
    Certificate,
    CheckAttempt,
    Enrolment,
    LessonProgress,
)
from people.models import User


@dataclass
class ModuleStatus:
    """Where a learner stands with one module."""

    module: ModulePage
    enrolment: Enrolment | None
    lessons_total: int
    lessons_done: int
    new_lesson_count: int = 0
    # The open assignment of the module that is due first, if anyone assigned it.
    assignment: Assignment | None = None
    # The certificate the completion earned, if the module grants one and it is not revoked.
    certificate: Certificate | None = None

    @property
    def state(self) -> str:
        """The one answer to "where am I with this module", for every page that shows it:
        ``completed``; ``in_progress`` once started (enrolled, whether or not a lesson is
        done yet); ``assigned`` when someone asked for it and it is not started; else
        ``not_started``."""
        if self.enrolment is None or self.enrolment.started_at is None:
            return "assigned" if self.assignment and self.open_assignment else "not_started"
        return "completed" if self.enrolment.is_completed else "in_progress"

    @property
    def action(self) -> str | None:
        """What the learner's button says: ``continue`` only with a lesson done to continue
        from, ``start`` for a module not begun (enrolled at 0 % included), ``renew`` in the
        renewal window, nothing for a completed module."""
        if self.renewal_open:
            return "renew"
        if self.state == "completed":
            return None
        return "continue" if self.state == "in_progress" and self.lessons_done else "start"

    @property
    def open_assignment(self) -> bool:
        return bool(self.assignment and self.assignment.completed_on is None)

    @property
    def assignment_state(self) -> str | None:
        """The assignment's status (assigned, due soon, overdue, ...) while it is open."""
        return self.assignment.status() if self.open_assignment else None

    @property
    def mandatory(self) -> bool:
        """Required by a rule of the organisation or a learning path, not only suggested."""
        return bool(
            self.open_assignment and (self.assignment.rule_id or self.assignment.learning_path_id)
        )

    @property
    def renewal_open(self) -> bool:
        return bool(
            self.state == "completed" and self.assignment and self.assignment.renewal_open()
        )

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
    def answer_key_shown(self) -> bool:
        """The right answers and the explanations show once they can no longer make a retry
        trivial: after passing, or after the last attempt allowed. Until then each question
        says only whether it was answered correctly."""
        return self.passed or not self.can_attempt

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
    lesson, module = source_of(lesson), source_of(module)
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
    state.enrolment = _ENROLMENT.first(learner.pk, module.pk)
    if state.enrolment is not None:
        state.progress = _LESSON_PROGRESS.first(state.enrolment.pk, lesson.pk)
        state.attempts = _ATTEMPTS.all(state.enrolment.pk, lesson.pk)
    return state


# Every lesson page asks these three: compiled once per process (core.prepared).
_ENROLMENT = PreparedQuery(
    lambda learner, module: Enrolment.objects.filter(learner=learner, module=module).order_by("pk")[
        :1
    ],
    values=2,
)
_LESSON_PROGRESS = PreparedQuery(
    lambda enrolment, lesson: LessonProgress.objects.filter(
        enrolment=enrolment, lesson=lesson
    ).order_by("pk")[:1],
    values=2,
)
_ATTEMPTS = PreparedQuery(
    lambda enrolment, lesson: CheckAttempt.objects.filter(enrolment=enrolment, lesson=lesson),
    values=2,
)


# All of a learner's enrolments and assignments, for the status of any modules: a list
# of modules of varying length would make a new query to compile on every request.
_ENROLMENTS_OF = PreparedQuery(
    lambda learner: with_lessons_done(Enrolment.objects.filter(learner=learner))
)
_ASSIGNMENTS_OF = PreparedQuery(
    lambda learner: Assignment.objects.filter(
        employee__user=learner, withdrawn_on__isnull=True
    ).select_related("rule", "learning_path", "assigned_by")
)
_MY_LESSONS_DONE = PreparedQuery(
    lambda learner: LessonProgress.objects.filter(
        enrolment__learner=learner, completed_at__isnull=False
    ).only("enrolment_id", "lesson_id")
)


def with_lessons_done(enrolments):
    return enrolments.annotate(
        lessons_done=Count(
            "lesson_progress",
            filter=Q(
                lesson_progress__completed_at__isnull=False,
                lesson_progress__lesson__live=True,
            ),
        )
    )


def _completed_then_due_last(assignment: Assignment) -> tuple:
    """Completed ones first by completion date, then open ones, the one due first last."""
    completed, due = assignment.completed_on, assignment.due_on
    return (
        completed is None,
        completed.toordinal() if completed else 0,
        -due.toordinal() if due else 0,
    )


def module_statuses(
    *,
    learner: User,
    modules: list[ModulePage],
    with_certificates: bool = False,
    enrolments: list[Enrolment] | None = None,
    assignments: list[Assignment] | None = None,
) -> dict[int, ModuleStatus]:
    """Status of each module for the learner, in four queries for any number of modules (a
    fifth ``with_certificates``, for pages that link the certificate of a completion). A page
    that has loaded the learner's enrolments (with ``with_lessons_done``) and open or
    completed assignments of these modules already passes them in, saving two."""
    if not modules or not learner.is_authenticated:
        return {}
    # Translations are keyed by their own id and share the status of their source.
    shown = modules
    sources = sources_of(modules)
    modules = list({source.pk: source for source in sources.values()}.values())
    module_ids = {module.pk for module in modules}
    if enrolments is None:
        enrolments = _ENROLMENTS_OF.all(learner.pk)
    enrolments = {e.module_id: e for e in enrolments if e.module_id in module_ids}
    lesson_counts = _live_lesson_counts(modules)
    new_counts = _new_lesson_counts(modules, enrolments)
    if assignments is None:
        assignments = _ASSIGNMENTS_OF.all(learner.pk)
    # Of several assignments of a module the open one due first speaks, else the latest
    # completed one: the one that comes last here.
    by_module = {}
    for assignment in sorted(assignments, key=_completed_then_due_last):
        if assignment.module_id in module_ids:
            by_module[assignment.module_id] = assignment
    assignments = by_module
    certificates = {}
    if with_certificates:
        certificates = {
            certificate.enrolment_id: certificate
            for certificate in Certificate.objects.filter(
                enrolment__in=[e for e in enrolments.values() if e.completed_at],
                revoked_at__isnull=True,
            )
        }
    statuses = {
        module.pk: ModuleStatus(
            module=module,
            enrolment=enrolments.get(module.pk),
            lessons_total=lesson_counts.get(module.path, 0),
            lessons_done=getattr(enrolments.get(module.pk), "lessons_done", 0),
            new_lesson_count=new_counts.get(module.pk, 0),
            assignment=assignments.get(module.pk),
            certificate=certificates.get(getattr(enrolments.get(module.pk), "pk", None)),
        )
        for module in modules
    }
    return {page.pk: statuses[sources[page.pk].pk] for page in shown}


def done_lesson_keys(*, learner: User, module: ModulePage) -> set:
    """The translation keys of the lessons the learner has done: the same in every language."""
    if not learner.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(
            enrolment__learner=learner,
            enrolment__module=source_of(module),
            completed_at__isnull=False,
        ).values_list("lesson__translation_key", flat=True)
    )


def continue_lessons(*, enrolments: list[Enrolment], learner: User) -> dict[int, LessonPage]:
    """For each of the learner's enrolments, the first live lesson not yet done ("continue
    where you left off")."""
    if not enrolments:
        return {}
    done = {(p.enrolment_id, p.lesson_id) for p in _MY_LESSONS_DONE.all(learner.pk)}
    lessons = live_lessons()
    result = {}
    for enrolment in enrolments:
        for lesson in lessons.get(enrolment.module.path, []):
            if (enrolment.pk, lesson.pk) not in done:
                result[enrolment.pk] = lesson
                break
    return result


def _live_lesson_counts(modules: list[ModulePage]) -> dict[str, int]:
    lessons = live_lessons()
    return {module.path: len(lessons.get(module.path, [])) for module in modules}


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
    counts: dict[int, int] = {}
    lessons = [
        (path, lesson.first_published_at)
        for path, module_lessons in live_lessons().items()
        if path in completed
        for lesson in module_lessons
    ]
    for parent_path, published in lessons:
        module_id, completed_at = completed[parent_path]
        if published and published > completed_at:
            counts[module_id] = counts.get(module_id, 0) + 1
    return counts
