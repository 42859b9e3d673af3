"""The management dashboard: where an organisation stands, for its CDO and management, in
groups only. Every figure here is one the HR coverage and compliance screens count, read with
their selectors; what this module adds is the choice of figures (the organisation and its
directorates, the competence areas, mandatory training in short) and the privacy rule applied
to each (competencies/suppression.py): no figure of fewer than the threshold, and none that
would let a reader work such a group out by subtraction. No name ever reaches the dashboard.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from competencies.models import Competence, CompetenceArea, Framework
from competencies.selectors import CoverageRow, coverage
from competencies.snapshots import TrendPoint, coverage_trends
from competencies.suppression import UnitTree, hidden_units
from lms.models import Assignment
from lms.training.compliance import STATUSES, compliance
from lms.training.status import Status
from people.models import Employee, OrgUnit

# The months of the trend (oldest first) the directorates' table shows beside today's figure:
# the first of the twelve and half a year ago.
COMPARED = (0, 5)


@dataclass(frozen=True)
class AreaFigure:
    """Of the targets the people of a unit have on the competences of one area, how many are
    met. It is the sum of the coverage cells of those competences, so it is shown only when
    every one of them is: a sum with a hidden cell in it, minus the shown cells, would give
    the hidden one back."""

    area: CompetenceArea
    met: int
    total: int
    hidden: bool

    @property
    def too_few(self) -> bool:
        return self.total > 0 and self.hidden

    @property
    def share(self) -> int | None:
        if not self.total or self.too_few:
            return None
        return round(100 * self.met / self.total)


@dataclass(frozen=True)
class ComplianceFigure:
    """Mandatory training of a unit (with the units below it) in short: how many of its
    assignments are in each status, and how many people they concern. A group of fewer than
    the threshold, or one hidden to protect such a group, shows none of it."""

    people: int
    counts: dict[str, int]
    threshold: int
    suppressed: bool = False

    @property
    def too_few(self) -> bool:
        return self.people > 0 and (self.people < self.threshold or self.suppressed)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def completed_percent(self) -> int | None:
        if not self.total or self.too_few:
            return None
        return round(100 * self.counts[Status.COMPLETED.value] / self.total)

    @property
    def overdue(self) -> int:
        return self.counts[Status.OVERDUE.value]

    @property
    def expired(self) -> int:
        return self.counts[Status.EXPIRED.value]


@dataclass
class UnitFigures:
    """The organisation's or one directorate's figures."""

    unit: OrgUnit
    trend: list[TrendPoint]
    areas: list[AreaFigure]
    compliance: ComplianceFigure

    @property
    def now(self) -> TrendPoint:
        return self.trend[-1]

    @property
    def compared(self) -> list[TrendPoint]:
        """The months the directorates are compared on before today's figure."""
        return [self.trend[index] for index in COMPARED if index < len(self.trend) - 1]

    @property
    def change(self) -> int | None:
        """Percentage points since the first month of the trend, when both are shown."""
        first, now = self.trend[0].share, self.now.share
        return None if first is None or now is None else now - first

    @property
    def change_signed(self) -> str:
        return "" if self.change is None else f"{self.change:+d}"


@dataclass
class Dashboard:
    organisation: UnitFigures
    directorates: list[UnitFigures]
    areas: list[CompetenceArea]
    threshold: int
    today: datetime.date

    @property
    def units(self) -> list[UnitFigures]:
        return [self.organisation, *self.directorates]

    @property
    def area_rows(self) -> list[tuple[CompetenceArea, list[AreaFigure]]]:
        """Per competence area, its figure for the organisation and each directorate; areas
        on which no role of the organisation sets a target are left out."""
        return [
            (area, [unit.areas[index] for unit in self.units])
            for index, area in enumerate(self.areas)
            if self.organisation.areas[index].total
        ]

    @property
    def area_groups(self) -> list[tuple[Framework, list[tuple[CompetenceArea, list]]]]:
        """``area_rows`` grouped by framework."""
        return [
            (framework, list(rows))
            for framework, rows in groupby(self.area_rows, key=lambda row: row[0].framework)
        ]


def _area_figures(competences: list[Competence], row: CoverageRow) -> list[AreaFigure]:
    figures = []
    cells = dict(zip((c.pk for c in competences), row.cells, strict=True))
    for _area_id, group in groupby(competences, key=lambda c: c.area_id):
        group = list(group)
        area_cells = [cells[c.pk] for c in group]
        figures.append(
            AreaFigure(
                area=group[0].area,
                met=sum(cell.met for cell in area_cells),
                total=sum(cell.total for cell in area_cells),
                hidden=any(cell.too_few for cell in area_cells),
            )
        )
    return figures


def _people_with_training(organisation: OrgUnit) -> dict[str, int]:
    """{unit path: active employees in that unit itself with mandatory training}: the group
    each compliance figure describes, as compliance() counts its assignments."""
    open_assignments = Assignment.objects.filter(employee=OuterRef("pk"), withdrawn_on__isnull=True)
    rows = (
        Employee.objects.filter(is_active=True, org_unit__path__startswith=organisation.path)
        .filter(Exists(open_assignments))
        .values_list("org_unit__path")
        .annotate(people=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _compliance_figures(
    organisation: OrgUnit, units: list[OrgUnit], *, threshold: int, today: datetime.date
) -> dict[str, ComplianceFigure]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for row in compliance(unit=organisation, levels=1, today=today):
        for status, count in row.counts.items():
            counts[row.unit.path][status] += count
    tree = UnitTree(_people_with_training(organisation), OrgUnit.steplen)
    hidden = hidden_units(tree, threshold=threshold)
    return {
        unit.path: ComplianceFigure(
            people=tree.total.get(unit.path, 0),
            counts=counts[unit.path],
            threshold=threshold,
            suppressed=unit.path in hidden,
        )
        for unit in units
    }


def management_dashboard(
    *, organisation: OrgUnit, threshold: int, today: datetime.date | None = None
) -> Dashboard:
    """The dashboard of one organisation: the headline figure over the last twelve months,
    coverage per competence area and mandatory training, for the organisation and each of its
    directorates (the first level of units below it). The caller scopes it: ``organisation``
    is one the person administers. A fixed number of queries, whatever the number of
    directorates, employees and months."""
    today = today or timezone.localdate()
    heatmap = coverage(unit=organisation, levels=1, threshold=threshold)
    units = [row.unit for row in heatmap.rows]
    trends = coverage_trends(units=units, threshold=threshold, today=today)
    training = _compliance_figures(organisation, units, threshold=threshold, today=today)
    figures = [
        UnitFigures(
            unit=row.unit,
            trend=trends[row.unit.pk],
            areas=_area_figures(heatmap.competences, row),
            compliance=training[row.unit.path],
        )
        for row in heatmap.rows
    ]
    areas = [next(group).area for _id, group in groupby(heatmap.competences, lambda c: c.area_id)]
    return Dashboard(
        organisation=figures[0],
        directorates=figures[1:],
        areas=areas,
        threshold=threshold,
        today=today,
    )
