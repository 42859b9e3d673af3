"""Coverage over time. Once a month (in practice: every day, the last run of a month stays)
the coverage of every organisation unit, role and competence is stored, with the headline
figure the CDO follows: the share of employees at their roles' target on all their essential
competences. A past month can be replayed from the evidence, to give a new installation its
history."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from competencies.models import (
    CompetenceStatus,
    CoverageSnapshot,
    CoverageSnapshotFigure,
    CoverageSnapshotHeadline,
)
from competencies.rules import (
    effective_level,
    evidence_facts,
    requirements_by_role,
    targets_for_roles,
)
from competencies.services import CompetencyError
from competencies.suppression import hidden_units_of_remembered, hidden_with_role_remembered
from core.audit import audit_log
from core.dates import add_months, month_end, month_parse, month_start
from people.models import Employee, OrgUnit, RoleProfile, User
from people.roles import roles_of

TREND_MONTHS = 12
REPLAY_BATCH = 2000

# (unit id, role id or None for everyone, competence id) -> [with a target, meeting it]
Figures = dict[tuple[int, int | None, int], list[int]]
# (unit id, role id or None) -> [with an essential target, meeting all essential targets]
Headlines = dict[tuple[int, int | None], list[int]]


# --- taking a snapshot -------------------------------------------------------------------------


def _count_person(
    figures: Figures,
    headlines: Headlines,
    *,
    unit_id: int,
    role_ids: list[int],
    results: list[tuple[int, bool, bool]],
) -> None:
    """Add one employee's (competence id, essential, meets target) results for every
    competence they have a target on, once for everyone and once for each of their roles."""
    essential = [meets for _c, is_essential, meets in results if is_essential]
    for role_id in [None, *role_ids]:
        for competence_id, _essential, meets in results:
            tally = figures.setdefault((unit_id, role_id, competence_id), [0, 0])
            tally[0] += 1
            tally[1] += meets
        if essential:
            tally = headlines.setdefault((unit_id, role_id), [0, 0])
            tally[0] += 1
            tally[1] += all(essential)


def _live_tallies() -> tuple[Figures, Headlines]:
    """Today's figures from the maintained CompetenceStatus rows."""
    per_person = defaultdict(list)
    unit_of = {}
    for employee_id, unit_id, competence_id, essential, meets in (
        CompetenceStatus.objects.filter(employee__is_active=True, target_rank__isnull=False)
        .values_list(
            "employee_id", "employee__org_unit_id", "competence_id", "essential", "meets_target"
        )
        .order_by()
        .iterator(chunk_size=5000)
    ):
        per_person[employee_id].append((competence_id, essential, meets))
        unit_of[employee_id] = unit_id
    roles = roles_of()
    figures: Figures = {}
    headlines: Headlines = {}
    for employee_id, results in per_person.items():
        _count_person(
            figures,
            headlines,
            unit_id=unit_of[employee_id],
            role_ids=roles.get(employee_id, []),
            results=results,
        )
    return figures, headlines


def _replayed_tallies(as_of: datetime.date) -> tuple[Figures, Headlines]:
    """The figures as they would have been on ``as_of``: the evidence recorded by then, with the
    product's effective-level rule applied on that day. Roles, targets and units are today's
    (their history is not kept); people count if they had started and not yet left."""
    by_role = requirements_by_role()
    employees = list(
        Employee.objects.filter(Q(start_date__isnull=True) | Q(start_date__lte=as_of))
        .filter(Q(left_on__gt=as_of) | Q(left_on__isnull=True, is_active=True))
        .values_list("pk", "org_unit_id", "organisation__self_assessment_meets_target")
        .order_by("pk")
    )
    figures: Figures = {}
    headlines: Headlines = {}
    for start in range(0, len(employees), REPLAY_BATCH):
        batch = employees[start : start + REPLAY_BATCH]
        ids = [pk for pk, _unit, _self in batch]
        roles = roles_of(ids)
        facts = evidence_facts(ids, recorded_by=as_of)
        for employee_id, unit_id, self_counts in batch:
            results = []
            for competence_id, target in targets_for_roles(roles[employee_id], by_role).items():
                level = effective_level(
                    facts.get((employee_id, competence_id), []),
                    target=target,
                    self_counts=self_counts,
                    today=as_of,
                )
                results.append((competence_id, level["essential"], level["meets_target"]))
            if results:
                _count_person(
                    figures,
                    headlines,
                    unit_id=unit_id,
                    role_ids=roles[employee_id],
                    results=results,
                )
    return figures, headlines


def coverage_snapshot_take(
    *, month: datetime.date | None = None, acting_user: User | None = None
) -> CoverageSnapshot:
    """Store the coverage of a month, replacing what was stored for it before: the current
    month from today's CompetenceStatus rows, a past month replayed from the evidence as of
    its last day. Running it twice for a month leaves one snapshot."""
    current = month_start(timezone.localdate())
    month = month_start(month) if month else current
    if month > current:
        raise CompetencyError(_("A month that has not begun has no coverage yet."))
    replayed = month < current
    # Counted before the transaction: on SQLite a write transaction locks the whole database,
    # and the counting is the slow part. The replacement below is atomic.
    figures, headlines = _replayed_tallies(month_end(month)) if replayed else _live_tallies()
    with transaction.atomic():
        snapshot, _created = CoverageSnapshot.objects.get_or_create(month=month)
        # Two runs for the same month (cron and a queued task) wait here for each other
        # rather than both inserting rows for it.
        snapshot = CoverageSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        snapshot.figures.all().delete()
        snapshot.headlines.all().delete()
        snapshot.taken_at = timezone.now()
        snapshot.replayed = replayed
        snapshot.save(update_fields=["taken_at", "replayed"])
        CoverageSnapshotFigure.objects.bulk_create(
            [
                CoverageSnapshotFigure(
                    snapshot=snapshot,
                    org_unit_id=unit_id,
                    role_id=role_id,
                    competence_id=competence_id,
                    with_target=total,
                    meeting=met,
                )
                for (unit_id, role_id, competence_id), (total, met) in figures.items()
            ],
            batch_size=2000,
        )
        CoverageSnapshotHeadline.objects.bulk_create(
            [
                CoverageSnapshotHeadline(
                    snapshot=snapshot,
                    org_unit_id=unit_id,
                    role_id=role_id,
                    with_essential=total,
                    meeting_all=met,
                )
                for (unit_id, role_id), (total, met) in headlines.items()
            ],
            batch_size=2000,
        )
        audit_log(
            actor=acting_user,
            action="competencies.coverage_snapshot.take",
            target=snapshot,
            month=f"{month:%Y-%m}",
            replayed=replayed,
            figures=len(figures),
            headlines=len(headlines),
        )
    return snapshot


@task()
def coverage_snapshot_task(month: str | None = None) -> int:
    """Take the snapshot of a month ("2026-03"; the current month when empty). Takes a string
    so that the task's arguments survive the database queue. Safe to run twice."""
    day = month_parse(month) if month else None
    return coverage_snapshot_take(month=day).pk


# --- the trend -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """The headline figure of one month: of the employees with at least one essential target,
    how many met all of them. Below the privacy threshold there is no share, nor where the
    figure would let a reader work out a smaller group's (``suppressed``, see
    competencies/suppression.py)."""

    month: datetime.date
    with_essential: int | None  # None: no snapshot of that month
    meeting_all: int | None
    threshold: int
    live: bool = False
    suppressed: bool = False

    @property
    def missing(self) -> bool:
        return self.with_essential is None

    @property
    def too_few(self) -> bool:
        return bool(self.with_essential) and (
            self.with_essential < self.threshold or self.suppressed
        )

    @property
    def share(self) -> int | None:
        if not self.with_essential or self.too_few:
            return None
        return round(100 * self.meeting_all / self.with_essential)


# {unit path: [with an essential target, meeting all, the same two for the role]}: the people
# counted in the unit itself, not those below it.
UnitHeadlines = dict[str, list[int]]


def headlines_now(*, organisation: str, role: RoleProfile | None = None) -> UnitHeadlines:
    """Today's headline figure of every unit of the organisation whose root path is
    ``organisation``, counting the people in the unit itself, for everyone and for those
    with ``role``, from CompetenceStatus in one query."""
    return headlines_now_of(organisations=[organisation], role=role)


def headlines_now_of(
    *, organisations: list[str] | None, role: RoleProfile | None = None
) -> UnitHeadlines:
    """``headlines_now`` for several organisations (their root paths) in the same one query,
    or for every organisation when ``organisations`` is None: a unit's path says whose it is."""
    essential = CompetenceStatus.objects.filter(
        employee=OuterRef("pk"), target_rank__isnull=False, essential=True
    )
    meeting = ~Exists(essential.filter(meets_target=False))
    counts = {"total": Count("pk"), "met": Count("pk", filter=Q(meeting))}
    if role is not None:
        has_role = Exists(
            Employee.roles.through.objects.filter(employee=OuterRef("pk"), roleprofile=role)
        )
        counts["role_total"] = Count("pk", filter=Q(has_role))
        counts["role_met"] = Count("pk", filter=Q(has_role) & Q(meeting))
    employees = Employee.objects.filter(is_active=True)
    if organisations is not None:
        within = Q(pk__in=[])
        for path in organisations:
            within |= Q(org_unit__path__startswith=path)
        employees = employees.filter(within)
    rows = (
        employees.filter(Exists(essential)).values("org_unit__path").annotate(**counts).order_by()
    )
    return {
        row["org_unit__path"]: [
            row["total"],
            row["met"],
            row.get("role_total", 0),
            row.get("role_met", 0),
        ]
        for row in rows
    }


def headline_now(*, unit: OrgUnit, role: RoleProfile | None = None) -> tuple[int, int]:
    """Today's headline figure of a unit and the units below it: (employees with an essential
    target, of whom meeting all essential targets)."""
    figures = headlines_now(organisation=unit.path, role=role).values()
    at = 0 if role is None else 2
    return sum(counts[at] for counts in figures), sum(counts[at + 1] for counts in figures)


def _hidden_in_month(
    figures: UnitHeadlines, *, role: RoleProfile | None, threshold: int
) -> set[str]:
    """The unit paths whose headline figure stays hidden in one month, decided over the whole
    organisation with the same rule as the coverage cells (competencies/suppression.py), and
    remembered as they are: a past month's figures do not change, so the page works its
    complements out once, not on every look."""
    step = OrgUnit.steplen
    everyone = {path: counts[0] for path, counts in figures.items()}
    if role is None:
        return hidden_units_of_remembered(everyone, steplen=step, threshold=threshold)
    with_role = {path: counts[2] for path, counts in figures.items()}
    return hidden_with_role_remembered(everyone, with_role, steplen=step, threshold=threshold)


def _trend_point(
    month: datetime.date,
    figures: UnitHeadlines,
    *,
    unit: OrgUnit,
    role: RoleProfile | None,
    threshold: int,
    hidden: set[str],
    live: bool = False,
) -> TrendPoint:
    """A month's point for ``unit`` from the headlines of every unit of its organisation, and
    the paths hidden in that month (``_hidden_in_month``)."""
    first = 0 if role is None else 2
    total = met = 0
    for path, counts in figures.items():
        if path.startswith(unit.path):
            total += counts[first]
            met += counts[first + 1]
    return TrendPoint(month, total, met, threshold, live=live, suppressed=unit.path in hidden)


def coverage_trend(
    *,
    unit: OrgUnit,
    role: RoleProfile | None = None,
    threshold: int,
    months: int = TREND_MONTHS,
    today: datetime.date | None = None,
) -> list[TrendPoint]:
    """The headline figure of a unit (rolled up over the units below it) over the last
    ``months`` months, oldest first: stored snapshots for past months, today's figure for the
    current one. Three queries, whatever the size of the organisation.

    Each month is read for every unit of the organisation, not only this one: which points
    are hidden is decided over the whole tree, as for the coverage cells, so that a unit's
    trend beside its parent's and its siblings' gives no hidden point away."""
    return coverage_trends(
        units=[unit], role=role, threshold=threshold, months=months, today=today
    )[unit.pk]


def coverage_trends(
    *,
    units: list[OrgUnit],
    role: RoleProfile | None = None,
    threshold: int,
    months: int = TREND_MONTHS,
    today: datetime.date | None = None,
) -> dict[int, list[TrendPoint]]:
    """``coverage_trend`` of several units of one organisation (an organisation and its
    directorates, say), {unit id: points}, in the same three queries."""
    today = today or timezone.localdate()
    current = month_start(today)
    first = add_months(current, -(months - 1))
    organisation = units[0].path[: OrgUnit.steplen]
    if any(not unit.path.startswith(organisation) for unit in units):
        raise ValueError("The units of one trend read belong to one organisation.")
    stored = CoverageSnapshotHeadline.objects.filter(
        snapshot__month__gte=first,
        snapshot__month__lte=current,
        org_unit__path__startswith=organisation,
    )
    if role is not None:
        stored = stored.filter(Q(role__isnull=True) | Q(role=role))
    else:
        stored = stored.filter(role__isnull=True)
    by_month: dict[datetime.date, UnitHeadlines] = defaultdict(dict)
    for month, path, role_id, total, met in stored.values_list(
        "snapshot__month", "org_unit__path", "role_id", "with_essential", "meeting_all"
    ).order_by():
        counts = by_month[month].setdefault(path, [0, 0, 0, 0])
        at = 0 if role_id is None else 2
        counts[at], counts[at + 1] = total, met
    # A month whose snapshot exists but holds no one in this unit counts as zero, not missing.
    taken = {
        month: timezone.localdate(taken_at)
        for month, taken_at in CoverageSnapshot.objects.filter(
            month__gte=first, month__lte=current
        ).values_list("month", "taken_at")
    }
    points: dict[int, list[TrendPoint]] = {unit.pk: [] for unit in units}
    for index in range(months - 1):
        month = add_months(first, index)
        if month not in taken:
            for unit in units:
                points[unit.pk].append(TrendPoint(month, None, None, threshold))
            continue
        figures = by_month.get(month, {})
        hidden = _hidden_in_month(figures, role=role, threshold=threshold)
        for unit in units:
            points[unit.pk].append(
                _trend_point(
                    month, figures, unit=unit, role=role, threshold=threshold, hidden=hidden
                )
            )
    # This month: today's snapshot when the daily round has taken it, which spares the page
    # a second pass over every status; otherwise counted now.
    if taken.get(current) == today:
        figures = by_month.get(current, {})
    else:
        figures = headlines_now(organisation=organisation, role=role)
    hidden = _hidden_in_month(figures, role=role, threshold=threshold)
    for unit in units:
        points[unit.pk].append(
            _trend_point(
                current,
                figures,
                unit=unit,
                role=role,
                threshold=threshold,
                hidden=hidden,
                live=True,
            )
        )
    return points
