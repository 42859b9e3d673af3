"""Reads of a learner's progress, each a fixed number of queries however much there is."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.models import Competence, CompetenceStatus
from competencies.selectors import gaps_of
from content.models import LessonPage, ModuleCompetence, ModulePage
from core.tree import roll_up
from lms.models import (
    Assignment,
    AssignmentRule,
    Certificate,
    CheckAttempt,
    Enrolment,
    LearningPath,
    LearningPathModule,
    LessonProgress,
)
from lms.route import Candidate, fastest_route
from lms.training.status import LATE, OPEN, renewal_open_q, status_counts
from people.models import Employee, OrgUnit, User
from people.teams import team_of


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

    @property
    def state(self) -> str:
        if self.enrolment is None or self.enrolment.started_at is None:
            return "assigned" if self.assignment else "not_started"
        return "completed" if self.enrolment.is_completed else "in_progress"

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
    """Status of each module for the learner, in four queries for any number of modules."""
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
    assignments = {}
    for assignment in Assignment.objects.filter(
        employee__user=learner, module_id__in=module_ids, withdrawn_on__isnull=True
    ).order_by("-due_on"):
        assignments[assignment.module_id] = assignment
    return {
        module.pk: ModuleStatus(
            module=module,
            enrolment=enrolments.get(module.pk),
            lessons_total=lesson_counts.get(module.path, 0),
            lessons_done=getattr(enrolments.get(module.pk), "lessons_done", 0),
            new_lesson_count=new_counts.get(module.pk, 0),
            assignment=assignments.get(module.pk),
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


@dataclass
class PathProgress:
    """A learning path as the employee sees it: its modules in order, and how far they are."""

    path: LearningPath
    rows: list[dict]

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row["status"].state == "completed")

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.rows)) if self.rows else 0

    @property
    def overdue(self) -> bool:
        return self.done < len(self.rows) and self.path.deadline < timezone.localdate()


def my_learning(*, learner: User, today=None) -> dict:
    """Everything on the learner's "Mijn leren" page, in a fixed number of queries."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(learner=learner, module__live=True)
        .select_related("module")
        .order_by("-started_at", "module__title")
    )
    assignments = list(
        Assignment.objects.filter(
            employee__user=learner, withdrawn_on__isnull=True, module__live=True
        )
        .select_related("module", "assigned_by", "learning_path")
        .order_by("due_on", "pk")
    )
    modules = {e.module_id: e.module for e in enrolments}
    modules.update((a.module_id, a.module) for a in assignments)
    statuses = module_statuses(learner=learner, modules=list(modules.values()))
    continues = continue_lessons(enrolments=[e for e in enrolments if not e.is_completed])

    def row(module, **extra) -> dict:
        status = statuses[module.pk]
        enrolment = status.enrolment
        return {
            "module": module,
            "enrolment": enrolment,
            "status": status,
            "continue_lesson": continues.get(enrolment.pk) if enrolment else None,
            **extra,
        }

    # One line per module: of several assignments of it, the one due first speaks.
    first_due = {}
    for assignment in assignments:
        first_due.setdefault(assignment.module_id, assignment)
    # Modules of a learning path are listed with their path, in its order.
    assigned = [
        row(a.module, assignment=a, state=a.status(today))
        for a in first_due.values()
        if a.status(today) in OPEN and not a.learning_path_id
    ]
    renewal = [
        row(a.module, assignment=a, state=a.status(today))
        for a in first_due.values()
        if a.completed_on and a.renewal_open(today)
    ]
    # A certificate in its renewal window (or expired) brings its module back as well.
    renewing = {r["module"].pk for r in renewal}
    for certificate in Certificate.objects.filter(
        renewal_open_q(today, field="valid_until"),
        enrolment__in=[e for e in enrolments if e.is_completed],
        revoked_at__isnull=True,
    ).select_related("enrolment__module"):
        if certificate.enrolment.module_id not in renewing:
            renewal.append(row(certificate.enrolment.module, certificate=certificate))
    paths = {}
    for assignment in assignments:
        if assignment.learning_path_id:
            paths.setdefault(assignment.learning_path_id, assignment.learning_path)
    path_rows = [
        PathProgress(path=path, rows=rows)
        for path, rows in _path_rows(list(paths.values()), statuses, row)
    ]
    busy = {r["module"].pk for r in assigned}
    busy.update(r["module"].pk for progress in path_rows for r in progress.rows)
    return {
        "renewal": renewal,
        "assigned": assigned,
        "paths": path_rows,
        "in_progress": [
            row(e.module)
            for e in enrolments
            if e.started_at and not e.is_completed and e.module_id not in busy
        ],
        "completed": [
            row(e.module)
            for e in sorted(
                (e for e in enrolments if e.is_completed),
                key=lambda e: e.completed_at,
                reverse=True,
            )
        ],
    }


def _path_rows(paths: list[LearningPath], statuses: dict, row):
    items = LearningPathModule.objects.filter(path__in=paths, module__live=True).order_by(
        "path_id", "sort_order"
    )
    by_path = {}
    for item in items:
        if item.module_id in statuses:
            by_path.setdefault(item.path_id, []).append(row(statuses[item.module_id].module))
    return [(path, by_path.get(path.pk, [])) for path in paths]


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


@dataclass
class TeamCell:
    effective: int | None
    target: int | None
    meets: bool
    self_rank: int | None
    open_self_assessment: bool


@dataclass
class TeamRow:
    employee: Employee
    cells: list[TeamCell | None]
    late: list[Assignment]
    open_assignments: int

    @property
    def open_self_assessments(self) -> int:
        return sum(1 for cell in self.cells if cell and cell.open_self_assessment)

    @property
    def targets_met(self) -> int:
        return sum(1 for cell in self.cells if cell and cell.target and cell.meets)

    @property
    def targets(self) -> int:
        return sum(1 for cell in self.cells if cell and cell.target)


@dataclass
class TeamOverview:
    competences: list[Competence]
    rows: list[TeamRow]


def team_overview(*, manager: Employee, today=None) -> TeamOverview:
    """The manager's team as a matrix of people by the competences their roles require, with
    their overdue training and self-assessments waiting for a conversation. A fixed number
    of queries, read from CompetenceStatus."""
    today = today or timezone.localdate()
    members = list(
        team_of(manager)
        .select_related("user", "org_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    statuses = defaultdict(dict)
    competence_ids = set()
    for status in CompetenceStatus.objects.filter(employee__in=members).filter(
        Q(target_rank__isnull=False) | Q(self_rank__isnull=False)
    ):
        statuses[status.employee_id][status.competence_id] = status
        if status.target_rank:
            competence_ids.add(status.competence_id)
    competences = list(
        Competence.objects.filter(pk__in=competence_ids)
        .select_related("area__framework")
        .order_by("area__framework__code", "area__code", "code")
    )
    late, open_counts = defaultdict(list), defaultdict(int)
    for assignment in (
        Assignment.objects.filter(employee__in=members, withdrawn_on__isnull=True)
        .select_related("module")
        .order_by("due_on")
    ):
        state = assignment.status(today)
        late_ones = late[assignment.employee_id]
        # A module late under two rules (or a rule and the manager) is listed once.
        if state in LATE and not any(a.module_id == assignment.module_id for a in late_ones):
            assignment.state = state
            late_ones.append(assignment)
        if state != Assignment.Status.COMPLETED:
            open_counts[assignment.employee_id] += 1

    def cell(status: CompetenceStatus | None) -> TeamCell | None:
        if status is None:
            return None
        return TeamCell(
            effective=status.effective_rank,
            target=status.target_rank,
            meets=status.meets_target,
            self_rank=status.self_rank,
            open_self_assessment=bool(
                status.self_rank
                and status.basis != CompetenceStatus.Basis.VALIDATED
                and status.self_rank > (status.effective_rank or 0)
            ),
        )

    return TeamOverview(
        competences=competences,
        rows=[
            TeamRow(
                employee=member,
                cells=[cell(statuses[member.pk].get(c.pk)) for c in competences],
                late=late[member.pk],
                open_assignments=open_counts[member.pk],
            )
            for member in members
        ],
    )


STATUSES = [s.value for s in Assignment.Status]


@dataclass
class ComplianceRow:
    """Mandatory training of one rule or learning path in one unit (with the units below),
    or of what managers assigned there themselves (source None)."""

    unit: OrgUnit
    level: int
    source: AssignmentRule | LearningPath | None
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def compliant_percent(self) -> int | None:
        return round(100 * self.counts["completed"] / self.total) if self.total else None

    def __getattr__(self, name):
        # Lets the report's columns and the export read a status count as an attribute.
        if name in STATUSES:
            return self.counts[name]
        raise AttributeError(name)

    @property
    def unit_label(self) -> str:
        return ("– " * self.level) + self.unit.name

    @property
    def source_label(self) -> str:
        if self.source is None:
            return _("Assigned by managers")
        if isinstance(self.source, LearningPath):
            return _("Learning path: %(title)s") % {"title": self.source.title}
        return self.source.name


def compliance(
    *, unit: OrgUnit, levels: int = 1, rule=None, learning_path=None, today=None
) -> list[ComplianceRow]:
    """Mandatory training per organisation unit (rolled up to every parent shown) and rule or
    learning path, and what managers assigned themselves: how many assignments are completed,
    due soon, overdue or expired. Counted in the database in one query, whatever the number
    of employees."""
    today = today or timezone.localdate()
    step = OrgUnit.steplen
    deepest = unit.depth + levels
    assignments = Assignment.objects.filter(
        withdrawn_on__isnull=True,
        employee__is_active=True,
        employee__org_unit__path__startswith=unit.path,
    )
    if rule is not None:
        assignments = assignments.filter(rule=rule)
    if learning_path is not None:
        assignments = assignments.filter(learning_path=learning_path)
    grouped = (
        assignments.annotate(prefix=Substr("employee__org_unit__path", 1, deepest * step))
        .values("prefix", "rule_id", "learning_path_id")
        .annotate(**status_counts(today))
        .order_by()
    )
    rules = {r.pk: r for r in AssignmentRule.objects.all()}
    paths = {p.pk: p for p in LearningPath.objects.all()}
    units = {
        u.path: u for u in OrgUnit.objects.filter(path__startswith=unit.path, depth__lte=deepest)
    }
    counts = []
    for group in grouped:
        if group["rule_id"]:
            source = rules[group["rule_id"]]
        elif group["learning_path_id"]:
            source = paths[group["learning_path_id"]]
        else:
            source = None  # assigned by a manager
        # The source itself keys the roll-up: a rule and a learning path with the same id are
        # different objects, and stay apart.
        counts.append((group["prefix"], source, [group[status] for status in STATUSES]))
    rows = [
        ComplianceRow(
            unit=units[path],
            level=units[path].depth - unit.depth,
            source=source,
            counts=dict(zip(STATUSES, totals, strict=True)),
        )
        for (path, source), totals in roll_up(counts, step, from_depth=unit.depth).items()
        if path in units
    ]
    return sorted(rows, key=lambda r: (r.unit.path, r.source_label))
