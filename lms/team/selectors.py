"""A manager's view of their team, read from CompetenceStatus in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from competencies.models import Competence, CompetenceStatus
from lms.models import (
    Assignment,
)
from lms.training.status import LATE
from people.models import Employee
from people.teams import team_of


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
