"""The compliance report: mandatory training per unit and rule, counted in the database."""

from dataclasses import dataclass, field

from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tree import roll_up
from lms.models import (
    Assignment,
    AssignmentRule,
    LearningPath,
)
from lms.training.status import status_counts, status_q
from people import access
from people.models import OrgUnit

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
    of employees. The caller scopes it: ``unit`` is one the person administers, and only
    what lies below it is counted."""
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
    grouped = list(grouped)
    # Only the rules and paths counted here: the unit's organisation's, not every one's.
    rules = AssignmentRule.objects.in_bulk({g["rule_id"] for g in grouped if g["rule_id"]})
    paths = LearningPath.objects.in_bulk(
        {g["learning_path_id"] for g in grouped if g["learning_path_id"]}
    )
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


# -- the people behind a count ---------------------------------------------------------------

MANAGERS = "managers"  # the source of what managers assigned themselves


def assignments_administered_by(user):
    """The assignments of the employees of the organisations ``user`` administers
    (people/access.py): every id the compliance screen accepts is looked up here."""
    ids = access.organisations_administered(user).ids
    assignments = Assignment.objects.all()
    return assignments if ids is None else assignments.filter(employee__organisation__in=ids)


def compliance_people(
    *,
    user,
    unit: OrgUnit,
    status: str,
    rule: AssignmentRule | None = None,
    learning_path: LearningPath | None = None,
    managers: bool = False,
    today=None,
):
    """The assignments behind one count of the report: of the unit and the units below it,
    in this status, from this rule, learning path or from managers (as ``ComplianceRow``
    groups them: a rule that assigns a path counts as the rule). Scoped to what ``user``
    administers; one query, the people in order of name."""
    today = today or timezone.localdate()
    assignments = assignments_administered_by(user).filter(
        status_q(status, today),
        withdrawn_on__isnull=True,
        employee__is_active=True,
        employee__org_unit__path__startswith=unit.path,
    )
    if rule is not None:
        assignments = assignments.filter(rule=rule)
    elif learning_path is not None:
        assignments = assignments.filter(rule__isnull=True, learning_path=learning_path)
    elif managers:
        assignments = assignments.filter(rule__isnull=True, learning_path__isnull=True)
    return assignments.select_related(
        "employee__user", "employee__org_unit", "module", "rule", "learning_path"
    ).order_by("employee__user__last_name", "employee__user__first_name", "due_on", "pk")
