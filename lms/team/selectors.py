"""A manager's view of their team, read from CompetenceStatus in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from competencies.models import Competence, CompetenceArea, CompetenceStatus
from lms.models import Assignment, Enrolment
from lms.training.status import LATE, status_of, statuses_q
from people.models import Employee
from people.teams import team_of


@dataclass(frozen=True)
class TeamCell:
    effective: int | None
    target: int | None
    meets: bool
    self_rank: int | None
    open_self_assessment: bool


@dataclass(frozen=True)
class LateTraining:
    """A module a team member is late with: overdue, or completed and expired since."""

    module_id: int
    title: str
    state: str
    due_on: datetime.date
    completed_on: datetime.date | None
    expires_on: datetime.date | None

    @property
    def state_label(self) -> str:
        return Assignment.Status(self.state).label


@dataclass
class TeamRow:
    employee: Employee
    cells: list[TeamCell | None]
    late: list[LateTraining]
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

    @property
    def gap(self) -> int:
        """Competences shown that are below their target."""
        return self.targets - self.targets_met

    @property
    def needs_attention(self) -> bool:
        return bool(self.gap or self.late)


@dataclass
class TeamOverview:
    competences: list[Competence]
    rows: list[TeamRow]
    # The competence areas of the whole team, for the filter, whatever is filtered now.
    areas: list[CompetenceArea] = field(default_factory=list)
    # Members before filtering, so that "nobody matches" differs from "nobody in the team".
    members: int = 0


SORTS = ("name", "gap")


def team_overview(
    *,
    manager: Employee,
    area_id: int | None = None,
    attention_only: bool = False,
    sort: str = "name",
    today=None,
    members: list[Employee] | None = None,
) -> TeamOverview:
    """The manager's team as a matrix of people by the competences their roles require, with
    their overdue training and self-assessments waiting for a conversation; optionally one
    competence area only, only people below a target or with overdue training, sorted by
    name or by the number of targets not met. A fixed number of queries, read from
    CompetenceStatus. ``members`` is the team as ``team_members`` gives it, when the caller
    has it already.

    The statuses and assignments are read as plain values, not as model instances: at a
    few hundred cells per page, building model objects was most of the page's time."""
    today = today or timezone.localdate()
    if members is None:
        members = team_members(manager)
    member_ids = [member.pk for member in members]
    cells: dict[int, dict[int, TeamCell]] = defaultdict(dict)
    competence_ids = set()
    validated = CompetenceStatus.Basis.VALIDATED
    for employee_id, competence_id, effective, target, meets, self_rank, basis in (
        CompetenceStatus.objects.filter(employee__in=member_ids)
        .filter(Q(target_rank__isnull=False) | Q(self_rank__isnull=False))
        .values_list(
            "employee_id",
            "competence_id",
            "effective_rank",
            "target_rank",
            "meets_target",
            "self_rank",
            "basis",
        )
    ):
        cells[employee_id][competence_id] = TeamCell(
            effective=effective,
            target=target,
            meets=meets,
            self_rank=self_rank,
            open_self_assessment=bool(
                self_rank and basis != validated and self_rank > (effective or 0)
            ),
        )
        if target:
            competence_ids.add(competence_id)
    competences = list(
        Competence.objects.filter(pk__in=competence_ids)
        .select_related("area__framework")
        .order_by("area__framework__code", "area__code", "code")
    )
    areas = list({c.area_id: c.area for c in competences}.values())
    if area_id is not None:
        competences = [c for c in competences if c.area_id == area_id]
    late, open_counts = defaultdict(list), defaultdict(int)
    for employee_id, module_id, title, due_on, completed_on, expires_on in (
        Assignment.objects.filter(employee__in=member_ids, withdrawn_on__isnull=True)
        .order_by("due_on", "pk")
        .values_list(
            "employee_id", "module_id", "module__title", "due_on", "completed_on", "expires_on"
        )
    ):
        state = status_of(
            due_on=due_on, completed_on=completed_on, expires_on=expires_on, today=today
        )
        late_ones = late[employee_id]
        # A module late under two rules (or a rule and the manager) is listed once.
        if state in LATE and not any(a.module_id == module_id for a in late_ones):
            late_ones.append(
                LateTraining(module_id, title, state, due_on, completed_on, expires_on)
            )
        if state != Assignment.Status.COMPLETED:
            open_counts[employee_id] += 1

    rows = []
    for member in members:
        own = cells.get(member.pk, {})
        rows.append(
            TeamRow(
                employee=member,
                cells=[own.get(c.pk) for c in competences],
                late=late[member.pk],
                open_assignments=open_counts[member.pk],
            )
        )
    if attention_only:
        rows = [row for row in rows if row.needs_attention]
    if sort == "gap":
        # Most targets not met first, then most overdue training; the name order stays
        # among equals (the sort is stable).
        rows.sort(key=lambda row: (-row.gap, -len(row.late)))
    return TeamOverview(competences=competences, rows=rows, areas=areas, members=len(members))


def team_members(manager: Employee) -> list[Employee]:
    """The manager's team in name order, with their accounts and units: one query."""
    return list(
        team_of(manager)
        .select_related("user", "org_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )


@dataclass
class MemberTraining:
    """A team member's training as their manager sees it: what is assigned, overdue or done,
    and their certificates passed or not. Never scores or attempt counts: a manager needs to
    know whether training is done, not how it went."""

    open: list[Assignment]
    # Completed modules, each with ``certificate`` set to its certificate or None.
    completed: list[Enrolment]


def member_training(*, member: Employee, today=None) -> MemberTraining:
    """Two queries, however much training the member has."""
    today = today or timezone.localdate()
    open_ = []
    for assignment in (
        Assignment.objects.filter(
            employee=member, withdrawn_on__isnull=True, completed_on__isnull=True
        )
        .select_related("module", "rule", "learning_path", "assigned_by")
        .order_by("due_on", "pk")
    ):
        # A module assigned twice (a rule and the manager) is listed once, due first.
        if not any(a.module_id == assignment.module_id for a in open_):
            assignment.state = assignment.status(today)
            open_.append(assignment)
    open_.sort(key=lambda a: (a.state != Assignment.Status.OVERDUE, a.due_on))
    completed = list(
        Enrolment.objects.filter(learner_id=member.user_id, completed_at__isnull=False)
        .select_related("module", "certificate")
        .order_by("-completed_at")
    )
    for enrolment in completed:
        enrolment.certificate_shown = getattr(enrolment, "certificate", None)
    return MemberTraining(open=open_, completed=completed)


@dataclass
class TeamSummary:
    members: int
    late: int  # people with overdue or expired training
    below_target: int  # people below at least one target


def team_summary(*, user, today=None) -> TeamSummary | None:
    """Three figures for the manager's home, in one aggregate query over the team (plus the
    two that find the team). None for someone without a team."""
    today = today or timezone.localdate()
    manager = Employee.objects.filter(user=user, is_active=True).first()
    if manager is None:
        return None
    figures = (
        team_of(manager)
        .annotate(
            is_late=Exists(
                Assignment.objects.filter(
                    statuses_q(LATE, today), employee=OuterRef("pk"), withdrawn_on__isnull=True
                )
            ),
            is_below=Exists(
                CompetenceStatus.objects.filter(
                    employee=OuterRef("pk"), target_rank__isnull=False, meets_target=False
                )
            ),
        )
        .aggregate(
            members=Count("pk"),
            late=Count("pk", filter=Q(is_late=True)),
            below_target=Count("pk", filter=Q(is_below=True)),
        )
    )
    return TeamSummary(**figures) if figures["members"] else None
