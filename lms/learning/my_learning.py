"""What "Mijn leren" and the employee's home show: what is due, in progress, to renew and
completed, and the learning paths, in a fixed number of queries however much there is."""

from dataclasses import dataclass

from django.utils import timezone, translation

from content.access import module_seen
from content.translations import in_language
from core.prepared import PreparedQuery
from lms.learning.selectors import continue_lessons, module_statuses, with_lessons_done
from lms.models import Assignment, Certificate, Enrolment, LearningPath, LearningPathModule
from lms.training.status import OPEN, renewal_open, status_of
from people.access import organisations_seen
from people.models import User

# What "Mijn leren" and the home read of one learner, compiled once per process: the learner
# is the one value that changes. Which of these modules the learner may see is asked of each
# row afterwards with ``module_seen``, the Python form of the catalogue's rule.
_MY_ENROLMENTS = PreparedQuery(
    lambda learner: (
        with_lessons_done(Enrolment.objects.filter(learner=learner, module__live=True))
        .select_related("module")
        .order_by("-started_at", "module__title")
    )
)
_MY_ASSIGNMENTS = PreparedQuery(
    lambda learner: (
        Assignment.objects.filter(
            employee__user=learner, withdrawn_on__isnull=True, module__live=True
        )
        .select_related("module", "assigned_by", "learning_path", "rule")
        .order_by("due_on", "pk")
    )
)
_MY_EXPIRING_CERTIFICATES = PreparedQuery(
    lambda learner: Certificate.objects.filter(
        enrolment__learner=learner,
        enrolment__completed_at__isnull=False,
        revoked_at__isnull=True,
        valid_until__isnull=False,
    ).select_related("enrolment__module")
)
_MY_PATH_MODULES = PreparedQuery(
    lambda learner: LearningPathModule.objects.filter(
        path__in=Assignment.objects.filter(
            employee__user=learner, withdrawn_on__isnull=True, learning_path__isnull=False
        ).values("learning_path"),
        module__live=True,
    ).order_by("path_id", "sort_order")
)


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
    # Another organisation's own module is not the learner's to see (content/access.py).
    seen = organisations_seen(learner)
    enrolments = [
        e for e in _MY_ENROLMENTS.all(learner.pk) if module_seen(e.module.organisation_id, seen)
    ]
    assignments = [
        a for a in _MY_ASSIGNMENTS.all(learner.pk) if module_seen(a.module.organisation_id, seen)
    ]
    modules = {e.module_id: e.module for e in enrolments}
    modules.update((a.module_id, a.module) for a in assignments)
    statuses = module_statuses(
        learner=learner,
        modules=list(modules.values()),
        enrolments=enrolments,
        assignments=assignments,
    )
    continues = continue_lessons(
        enrolments=[e for e in enrolments if not e.is_completed], learner=learner
    )

    # Learning records name the source of a module; the learner reads it in their language.
    language = translation.get_language()
    shown = in_language(modules.values(), language)
    shown_lessons = in_language(continues.values(), language)

    def row(module, **extra) -> dict:
        status = statuses[module.pk]
        enrolment = status.enrolment
        lesson = continues.get(enrolment.pk) if enrolment else None
        return {
            "module": shown.get(module.pk, module),
            "enrolment": enrolment,
            "status": status,
            "continue_lesson": shown_lessons.get(lesson.pk, lesson) if lesson else None,
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
    renewing = {r["status"].module.pk for r in renewal}
    completed = {e.pk for e in enrolments if e.is_completed}
    for certificate in _MY_EXPIRING_CERTIFICATES.all(learner.pk):
        if (
            certificate.enrolment_id in completed
            and renewal_open(certificate.valid_until, today)
            and certificate.enrolment.module_id not in renewing
        ):
            renewal.append(row(certificate.enrolment.module, certificate=certificate))
    paths = {}
    for assignment in assignments:
        if assignment.learning_path_id:
            paths.setdefault(assignment.learning_path_id, assignment.learning_path)
    path_rows = [
        PathProgress(path=path, rows=rows)
        for path, rows in _path_rows(list(paths.values()), statuses, row, learner)
    ]
    # Everything open, whatever asked for it, overdue first and then by due date: the
    # employee's home lists it. One line per module, from its open assignment due first; a
    # learning path is one line too, with the module to take next.
    due_first = {}
    for assignment in assignments:
        if assignment.status(today) in OPEN and not assignment.learning_path_id:
            due_first.setdefault(assignment.module_id, assignment)
    due = [
        {
            **row(a.module, assignment=a, state=a.status(today)),
            "due_on": a.due_on,
            "kind": "module",
        }
        for a in due_first.values()
    ]
    for progress in path_rows:
        following = [r for r in progress.rows if r["status"].state != "completed"]
        if following:
            due.append(
                {
                    "kind": "path",
                    "progress": progress,
                    "next": following[0],
                    "due_on": progress.path.deadline,
                    "state": status_of(
                        due_on=progress.path.deadline,
                        completed_on=None,
                        expires_on=None,
                        today=today,
                    ),
                }
            )
    due.sort(key=lambda r: (r["state"] != Assignment.Status.OVERDUE, r["due_on"]))
    return {
        "renewal": renewal,
        "assigned": assigned,
        "due": due,
        "paths": path_rows,
        # Every module started and not completed, also when it is listed above with its
        # assignment or path: "in progress" never says "nothing" while something is.
        "in_progress": [row(e.module) for e in enrolments if e.started_at and not e.is_completed],
        "completed": [
            row(e.module)
            for e in sorted(
                (e for e in enrolments if e.is_completed),
                key=lambda e: e.completed_at,
                reverse=True,
            )
        ],
    }


def _path_rows(paths: list[LearningPath], statuses: dict, row, learner: User):
    if not paths:
        return []
    by_path = {}
    for item in _MY_PATH_MODULES.all(learner.pk):
        if item.module_id in statuses:
            by_path.setdefault(item.path_id, []).append(row(statuses[item.module_id].module))
    return [(path, by_path.get(path.pk, [])) for path in paths]
