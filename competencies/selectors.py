"""Reads of where employees stand, always from the maintained CompetenceStatus rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from competencies.models import (
    Competence,
    CompetenceArea,
    CompetenceStatus,
    Evidence,
    Framework,
)
from competencies.suppression import (
    TreeShape,
    UnitTree,
    hidden_units_remembered,
    hidden_with_role_remembered,
)
from core.prepared import PreparedQuery
from people.models import Employee, OrgUnit

EXPIRING_WITHIN = datetime.timedelta(days=60)


@dataclass
class NotCounted:
    """A piece of evidence that does not make the level, and why: ``self`` (self-assessment,
    which the organisation does not count), ``expired`` (its validity ended on ``date``) or
    ``review`` (a manager's validation whose review date ``date`` has passed)."""

    evidence: Evidence
    reason: str
    date: datetime.date | None = None


@dataclass
class SkillRow:
    competence: Competence
    status: CompetenceStatus
    # Filled by ``skills_explained``: the evidence shown but not counted, and whether any
    # live module develops this competence up to the target.
    not_counted: list[NotCounted] = field(default_factory=list)
    module_exists: bool = True

    @property
    def gap(self) -> int:
        target = self.status.target_rank or 0
        return max(0, target - (self.status.effective_rank or 0))

    @property
    def expiring_soon(self) -> bool:
        until = self.status.valid_until
        return bool(until and until - timezone.localdate() <= EXPIRING_WITHIN)


@dataclass
class AreaSkills:
    area: CompetenceArea
    rows: list[SkillRow]


@dataclass
class FrameworkSkills:
    framework: Framework
    areas: list[AreaSkills]


def skills_overview(*, employee: Employee) -> list[FrameworkSkills]:
    """The competences the employee's roles require, grouped by framework and area, in two
    queries however much evidence there is."""
    statuses = (
        CompetenceStatus.objects.filter(employee=employee, target_rank__isnull=False)
        .select_related("competence__area__framework")
        .order_by("competence__area__framework__code", "competence__area__code", "competence__code")
    )
    frameworks: dict[int, FrameworkSkills] = {}
    for status in statuses:
        competence = status.competence
        area, framework = competence.area, competence.area.framework
        group = frameworks.setdefault(framework.pk, FrameworkSkills(framework, []))
        if not group.areas or group.areas[-1].area.pk != area.pk:
            group.areas.append(AreaSkills(area, []))
        group.areas[-1].rows.append(SkillRow(competence, status))
    return list(frameworks.values())


def skills_explained(
    *, employee: Employee, without_module: set[int] = frozenset(), today=None
) -> list[FrameworkSkills]:
    """``skills_overview`` with the words behind each status: the evidence that does not
    count and why, in one more query however much evidence there is. ``without_module``
    names the gaps that no module closes yet."""
    today = today or timezone.localdate()
    frameworks = skills_overview(employee=employee)
    rows = {row.competence.pk: row for g in frameworks for a in g.areas for row in a.rows}
    self_counts = employee.organisation.self_assessment_meets_target
    latest: dict[tuple[int, str], Evidence] = {}
    for evidence in Evidence.objects.filter(
        employee=employee, competence_id__in=list(rows), accepted=True
    ).order_by("recorded_on", "pk"):
        latest[(evidence.competence_id, evidence.source)] = evidence  # the latest per source
    for (competence_id, source), evidence in latest.items():
        row = rows[competence_id]
        expired = evidence.expires_on is not None and evidence.expires_on <= today
        if expired:
            row.not_counted.append(NotCounted(evidence, "expired", evidence.expires_on))
        elif source == Evidence.Source.SELF and not self_counts:
            row.not_counted.append(NotCounted(evidence, "self"))
        elif (
            source == Evidence.Source.MANAGER
            and evidence.review_on is not None
            and evidence.review_on < today
        ):
            row.not_counted.append(NotCounted(evidence, "review", evidence.review_on))
    for row in rows.values():
        # Only evidence that would have raised the level needs explaining.
        row.not_counted = [
            n for n in row.not_counted if n.evidence.rank > (row.status.effective_rank or 0)
        ]
        row.module_exists = row.competence.pk not in without_module
    return frameworks


def gaps_of(*, employee: Employee) -> dict[int, int]:
    """{competence id: target level} for every competence below its target."""
    return {
        competence_id: target
        for competence_id, target, effective in CompetenceStatus.objects.filter(
            employee=employee, target_rank__isnull=False, meets_target=False
        ).values_list("competence_id", "target_rank", "effective_rank")
        if (effective or 0) < target
    }


@dataclass(frozen=True)
class CoverageCell:
    """How many of the employees with a target on a competence meet it. Groups smaller than
    the privacy threshold show no share: in a small team a share points at people; and a
    figure that would let a reader work such a group out by subtraction is ``suppressed``
    as well (competencies/suppression.py). Both show as "too few people"."""

    met: int
    total: int
    threshold: int
    suppressed: bool = False

    @property
    def too_few(self) -> bool:
        return self.total > 0 and (self.total < self.threshold or self.suppressed)

    @property
    def share(self) -> int | None:
        if not self.total or self.too_few:
            return None
        return round(100 * self.met / self.total)

    @property
    def band(self) -> str:
        """A label for the heatmap that does not rely on colour."""
        share = self.share
        if share is None:
            return "none"
        return "low" if share < 25 else "fair" if share < 50 else "good" if share < 75 else "high"


@dataclass
class CoverageRow:
    unit: OrgUnit
    level: int  # 0 for the unit asked for, 1 for its children, ...
    cells: list[CoverageCell]


@dataclass
class Coverage:
    competences: list[Competence]
    rows: list[CoverageRow]


def coverage(
    *,
    unit,
    levels: int = 2,
    framework: Framework | None = None,
    area: CompetenceArea | None = None,
    role=None,
    threshold: int = 5,
) -> Coverage:
    """Coverage of a unit and the units below it (``levels`` deep), rolled up: a unit counts
    everyone in it and below it. One aggregate query over CompetenceStatus plus the units.

    The query counts per unit of the whole organisation, not only the units shown: which
    figures stay hidden is decided over the organisation's whole tree (see
    competencies/suppression.py), so that every page hides the same ones."""
    competences = Competence.objects.select_related("area__framework").order_by(
        "area__framework__code", "area__code", "code"
    )
    if framework is not None:
        competences = competences.filter(area__framework=framework)
    if area is not None:
        competences = competences.filter(area=area)
    competences = list(competences)
    step = OrgUnit.steplen
    organisation = unit.path[:step]
    statuses = CompetenceStatus.objects.filter(
        target_rank__isnull=False,
        coverage_unit__in=OrgUnit.objects.filter(path__startswith=organisation),
    )
    if framework is not None or area is not None:
        statuses = statuses.filter(competence__in=[c.pk for c in competences])
    # {competence id: {unit path: [with a target, meeting it]}}, people counted in that unit
    # itself; for everyone and, with a role chosen, for those with the role.
    own: dict[int, dict[str, list[int]]] = defaultdict(dict)
    own_role: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for path, competence_id, total, met, role_total, role_met in _coverage_counts(
        statuses, role=role
    ):
        own[competence_id][path] = [total, met]
        if role is not None:
            own_role[competence_id][path] = [role_total, role_met]
    deepest = unit.depth + levels
    units = list(
        OrgUnit.objects.filter(path__startswith=unit.path, depth__lte=deepest).order_by("path")
    )
    shape = TreeShape({path for counts in own.values() for path in counts}, step)
    columns = []
    for competence in competences:
        everyone = own.get(competence.pk, {})
        totals = {path: counts[0] for path, counts in everyone.items()}
        if role is None:
            shown = everyone
            tree = UnitTree(totals, step, shape)
            hidden = hidden_units_remembered(tree, threshold=threshold)
        else:
            shown = own_role.get(competence.pk, {})
            with_role = {path: counts[0] for path, counts in shown.items()}
            tree = UnitTree(with_role, step, shape)
            hidden = hidden_with_role_remembered(
                totals, with_role, steplen=step, threshold=threshold, shape=shape
            )
        met = UnitTree({path: counts[1] for path, counts in shown.items()}, step, shape)
        columns.append((tree.total, met.total, hidden))
    rows = []
    for row_unit in units:
        path = row_unit.path
        cells = [
            CoverageCell(
                met=met.get(path, 0),
                total=total.get(path, 0),
                threshold=threshold,
                suppressed=path in hidden,
            )
            for total, met, hidden in columns
        ]
        rows.append(CoverageRow(unit=row_unit, level=row_unit.depth - unit.depth, cells=cells))
    return Coverage(competences=competences, rows=rows)


def _coverage_counts(statuses, *, role=None) -> list[tuple[str, int, int, int, int, int]]:
    """Statuses with a target and those meeting it, per competence and unit path (the unit
    each counts in, not rolled up), and the same for the employees with ``role``.

    Two steps, because that is what the databases do fast at a hundred thousand employees:
    the inner query counts per unit and competence in the order of the status_coverage_count
    index (SQLite streams it without sorting two million rows), the outer one joins the
    units' paths. The ORM cannot group over a subquery, so the outer step is written out
    around the ORM's SQL for the inner one."""
    counts = {"total": Count("*"), "met": Count("competence", filter=Q(meets_target=True))}
    if role is not None:
        # Through Exists rather than a join on the roles, which would count a person with two
        # roles twice.
        has_role = Exists(
            Employee.roles.through.objects.filter(employee=OuterRef("employee"), roleprofile=role)
        )
        counts["role_total"] = Count("competence", filter=Q(has_role))
        counts["role_met"] = Count("competence", filter=Q(has_role, meets_target=True))
    per_unit = (
        statuses.values(unit_pk=F("coverage_unit"), competence_pk=F("competence"))
        .annotate(**counts)
        .order_by()
    )
    inner, params = per_unit.query.sql_with_params()
    units = connection.ops.quote_name(OrgUnit._meta.db_table)
    by_role = (
        "CAST(SUM(g.role_total) AS INTEGER), CAST(SUM(g.role_met) AS INTEGER)"
        if role is not None
        else "0, 0"
    )
    sql = (
        "SELECT u.path, g.competence_pk, "
        f"CAST(SUM(g.total) AS INTEGER), CAST(SUM(g.met) AS INTEGER), {by_role} "
        f"FROM ({inner}) g JOIN {units} u ON u.id = g.unit_pk GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class Standing:
    """Where an employee stands against their roles' targets, in figures for a summary."""

    targets: int
    met: int
    # Targets reached only by a self-assessment, which this organisation does not count.
    self_not_counted: int

    @property
    def gaps(self) -> int:
        return self.targets - self.met

    @property
    def percent(self) -> int:
        return round(100 * self.met / self.targets) if self.targets else 0


# The employee's statuses with a target, counted: compiled once per process, the person's id
# is all that changes (core/prepared.py). Nobody found (no active employee record): no targets.
_STANDING = PreparedQuery(
    lambda user: (
        Employee.objects.filter(user=user, is_active=True)
        .annotate(
            targets=Count("statuses", filter=Q(statuses__target_rank__isnull=False)),
            met=Count(
                "statuses",
                filter=Q(statuses__target_rank__isnull=False, statuses__meets_target=True),
            ),
            self_not_counted=Count(
                "statuses",
                filter=Q(
                    statuses__target_rank__isnull=False,
                    statuses__meets_target=False,
                    statuses__self_rank__gte=F("statuses__target_rank"),
                ),
            ),
        )
        .only("pk")
    )
)


def standing_of(*, user) -> Standing:
    """The employee's targets met and open, in one query over CompetenceStatus."""
    employee = _STANDING.first(user.pk)
    if employee is None:
        return Standing(targets=0, met=0, self_not_counted=0)
    return Standing(
        targets=employee.targets, met=employee.met, self_not_counted=employee.self_not_counted
    )
