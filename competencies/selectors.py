"""Reads of where employees stand, always from the maintained CompetenceStatus rows."""

import datetime
import hashlib
import marshal
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

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
from competencies.suppression import exact_key_remembered, hidden_per_group_remembered
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


# A learner's statuses with a target, with their competences, and their accepted evidence:
# compiled once per process, the employee's id is all that changes (core/prepared.py).
_SKILL_STATUSES = PreparedQuery(
    lambda employee: (
        CompetenceStatus.objects.filter(employee=employee, target_rank__isnull=False)
        .select_related("competence__area__framework")
        .order_by("competence__area__framework__code", "competence__area__code", "competence__code")
    )
)
_ACCEPTED_EVIDENCE = PreparedQuery(
    lambda employee: Evidence.objects.filter(employee=employee, accepted=True).order_by(
        "recorded_on", "pk"
    )
)


def skills_overview(*, employee: Employee) -> list[FrameworkSkills]:
    """The competences the employee's roles require, grouped by framework and area, in one
    query however much evidence there is."""
    frameworks: dict[int, FrameworkSkills] = {}
    for status in _SKILL_STATUSES.all(employee.pk):
        competence = status.competence
        area, framework = competence.area, competence.area.framework
        group = frameworks.setdefault(framework.pk, FrameworkSkills(framework, []))
        if not group.areas or group.areas[-1].area.pk != area.pk:
            group.areas.append(AreaSkills(area, []))
        group.areas[-1].rows.append(SkillRow(competence, status))
    return list(frameworks.values())


def skill_rows(frameworks: list[FrameworkSkills]) -> list[SkillRow]:
    """Every row of a ``skills_overview``, in its order."""
    return [row for group in frameworks for area in group.areas for row in area.rows]


def skills_explained(
    *,
    employee: Employee,
    frameworks: list[FrameworkSkills] | None = None,
    without_module: set[int] = frozenset(),
    today=None,
) -> list[FrameworkSkills]:
    """``skills_overview`` with the words behind each status: the evidence that does not
    count and why, in one more query however much evidence there is. ``without_module``
    names the gaps that no module closes yet; ``frameworks``, the overview when the caller
    has read it already (it is filled in)."""
    today = today or timezone.localdate()
    if frameworks is None:
        frameworks = skills_overview(employee=employee)
    rows = {row.competence.pk: row for row in skill_rows(frameworks)}
    self_counts = employee.organisation.self_assessment_meets_target
    latest: dict[tuple[int, str], Evidence] = {}
    for evidence in _ACCEPTED_EVIDENCE.all(employee.pk):
        if evidence.competence_id in rows:
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
    deepest = unit.depth + levels
    counts = _counts_per_unit(statuses, unit=unit, deepest=deepest, role=role)
    hidden = hidden_per_group_remembered(
        [competence.pk for competence in competences],
        lambda: (counts.own(role=False), counts.own(role=True) if role is not None else None),
        counts_key=counts.key,
        with_role=role is not None,
        steplen=step,
        threshold=threshold,
    )
    units = OrgUnit.objects.filter(path__startswith=unit.path, depth__lte=deepest).order_by("path")
    nobody = (0, 0)
    rows = []
    for row_unit in units:
        path = row_unit.path
        cells = []
        for competence in competences:
            total, met = counts.shown.get((competence.pk, path), nobody)
            cells.append(
                CoverageCell(
                    met=met,
                    total=total,
                    threshold=threshold,
                    suppressed=path in hidden.get(competence.pk, ()),
                )
            )
        rows.append(CoverageRow(unit=row_unit, level=row_unit.depth - unit.depth, cells=cells))
    return Coverage(competences=competences, rows=rows)


@dataclass
class _UnitCounts:
    rows: list[tuple]  # from _coverage_counts
    paths: dict[int, str]  # {unit: its path}, every unit of the organisation
    shown: dict[tuple[int, str], list[int]]  # {(competence, unit shown): [total, met]}
    key: bytes  # every count of people with a target and every unit's path, digested

    def own(self, *, role: bool) -> dict[int, dict[str, int]]:
        """{competence: {unit path: people counted in that unit itself}} of everyone, or of
        those with the role: what the hidden figures are worked out from. Built only when
        they are not remembered."""
        column = 4 if role else 2
        own: dict[int, dict[str, int]] = defaultdict(dict)
        for row in self.rows:
            own[row[1]][self.paths[row[0]]] = row[column]
        return own


def _counts_per_unit(statuses, *, unit: OrgUnit, deepest: int, role) -> _UnitCounts:
    """The statuses counted per competence and unit of the whole organisation (what stays
    hidden is decided over all of it), and rolled up for the units shown: first cut to the
    deepest unit shown (one addition per row), then added up the few units above it."""
    step = OrgUnit.steplen
    units = list(
        OrgUnit.objects.filter(path__startswith=unit.path[:step])
        .order_by("pk")
        .values_list("pk", "path")
    )
    rows = _coverage_counts(statuses, role=role)
    # What is hidden depends on the units' paths and the counts of people, not on whether
    # they meet their targets: a completion must leave the key, and what it remembers, as it
    # was. That exact digest takes a pass over every count in Python; a digest of all the
    # rows as they came (marshal's format 2 writes equal values alike) takes a C pass and
    # finds the exact one remembered while nothing changed.
    people = itemgetter(0, 1, 2, 4) if role is not None else itemgetter(0, 1, 2)
    key = exact_key_remembered(
        hashlib.sha256(marshal.dumps((units, rows), 2)).digest(),
        lambda: hashlib.sha256(marshal.dumps((units, list(map(people, rows))), 2)).digest(),
    )
    paths = dict(units)
    # Each unit: the unit it counts in on this page (its own or the one above it at the
    # deepest level shown; None outside the unit asked for).
    cut_to = {
        pk: path[: deepest * step] if path.startswith(unit.path) else None for pk, path in units
    }
    # With a role chosen, the cells count those with the role.
    total_at, met_at = (4, 5) if role is not None else (2, 3)
    # The rows come a unit at a time: where a unit counts is looked up once for its rows.
    cut: dict[str, dict[int, list[int]]] = {}
    for unit_id, unit_rows in groupby(rows, key=itemgetter(0)):
        shown_in = cut_to[unit_id]
        if shown_in is None:
            continue
        into = cut.setdefault(shown_in, {})
        for row in unit_rows:
            counted = into.get(row[1])
            if counted is None:
                into[row[1]] = [row[total_at], row[met_at]]
            else:
                counted[0] += row[total_at]
                counted[1] += row[met_at]
    shown: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for path, per_competence in cut.items():
        for end in range(unit.depth * step, len(path) + 1, step):
            for competence_id, (total, met) in per_competence.items():
                counted = shown[competence_id, path[:end]]
                counted[0] += total
                counted[1] += met
    return _UnitCounts(rows=rows, paths=paths, shown=shown, key=key)


def _coverage_counts(statuses, *, role=None) -> list[tuple[int, ...]]:
    """Statuses with a target and those meeting it, per unit (the one each counts in, not
    rolled up) and competence, and with ``role`` the same for the employees who hold it:
    rows of (unit, competence, total, met[, role total, role met]). Grouped and ordered as
    the status_coverage_count index is, which SQLite streams without sorting two million
    rows (the order makes the counts' digest the same on every run); the units' paths are
    looked up afterwards, not joined."""
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
        statuses.values("coverage_unit", "competence")
        .annotate(**counts)
        .order_by("coverage_unit", "competence")
        .values_list("coverage_unit", "competence", *counts)
    )
    # Run through the cursor: the ORM's converters would touch each of the 150,000 values of
    # a large city, and these are plain integers.
    sql, params = per_unit.query.sql_with_params()
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
