"""CompetenceStatus, the stored answer to "where does this person stand": one row per
employee and competence, derived by the rules in ``competencies.rules``. Every input of
those rules has a writer here:

- evidence: ``evidence_record`` refreshes the one status it touches;
- an employee's roles, unit or leaving: the ``employees_changed`` signal (roster import,
  the employee form);
- a role's targets or parent, an organisation's "self-assessment counts" switch, a
  competence's validity: ``statuses_refresh_for``, as a background task, because one role
  can be held by a whole organisation;
- the passing of time (expiry, review dates): ``statuses_lapse`` in the daily round.

The daily round also runs ``statuses_repair``, which checks every status against the rules
and corrects (and counts) any that drifted, whatever door the change came in by.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import task

from competencies.models import CompetenceStatus, Evidence
from competencies.rules import (
    STATUS_FIELDS,
    effective_level,
    evidence_facts,
    requirements_by_role,
    targets_for_roles,
)
from people.models import Employee
from people.roles import RoleTree, roles_of

BATCH = 500
# Everything a status row holds besides its key; the refresh compares these to find changes.
STORED_FIELDS = (*STATUS_FIELDS, "coverage_unit_id")


def status_refresh(
    *,
    employees: Iterable[Employee | int],
    competence_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
    by_role: dict | None = None,
) -> int:
    """Bring the CompetenceStatus rows of these employees (optionally only for some
    competences) in line with their evidence, roles and unit. Only rows that differ are
    written. Returns the number of rows created, changed or removed."""
    today = today or timezone.localdate()
    employee_ids = [e if isinstance(e, int) else e.pk for e in employees]
    if not employee_ids:
        return 0
    by_role = by_role if by_role is not None else requirements_by_role()
    only = set(competence_ids) if competence_ids is not None else None
    roles = roles_of(employee_ids)
    self_counts, coverage_units = {}, {}
    for pk, counts, unit_id, active in Employee.objects.filter(pk__in=employee_ids).values_list(
        "pk", "organisation__self_assessment_meets_target", "org_unit_id", "is_active"
    ):
        self_counts[pk] = counts
        coverage_units[pk] = unit_id if active else None
    facts = evidence_facts(employee_ids, competence_ids=only)
    wanted: dict[tuple[int, int], tuple] = {}
    for employee_id in employee_ids:
        targets = targets_for_roles(roles[employee_id], by_role)
        competences = set(targets) | {c for (e, c) in facts if e == employee_id}
        if only is not None:
            competences &= only
        for competence_id in competences:
            values = effective_level(
                facts.get((employee_id, competence_id), []),
                target=targets.get(competence_id),
                self_counts=self_counts.get(employee_id, False),
                today=today,
            )
            wanted[employee_id, competence_id] = (
                *(values[f] for f in STATUS_FIELDS),
                coverage_units.get(employee_id),
            )
    with transaction.atomic():
        existing = CompetenceStatus.objects.filter(employee_id__in=employee_ids)
        if only is not None:
            existing = existing.filter(competence_id__in=only)
        stale, unchanged = [], set()
        for pk, employee_id, competence_id, *stored in existing.values_list(
            "pk", "employee_id", "competence_id", *STORED_FIELDS
        ):
            key = (employee_id, competence_id)
            if key not in wanted:
                stale.append(pk)
            elif tuple(stored) == wanted[key]:
                unchanged.add(key)
        for start in range(0, len(stale), 900):
            CompetenceStatus.objects.filter(pk__in=stale[start : start + 900]).delete()
        rows = [
            CompetenceStatus(
                employee_id=employee_id,
                competence_id=competence_id,
                **dict(zip(STORED_FIELDS, values, strict=True)),
            )
            for (employee_id, competence_id), values in wanted.items()
            if (employee_id, competence_id) not in unchanged
        ]
        CompetenceStatus.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["employee", "competence"],
            update_fields=[*STATUS_FIELDS, "coverage_unit", "updated_at"],
        )
    return len(rows) + len(stale)


def _refresh_in_batches(employee_ids: list[int], **kwargs) -> int:
    by_role = requirements_by_role()
    return sum(
        status_refresh(employees=employee_ids[start : start + BATCH], by_role=by_role, **kwargs)
        for start in range(0, len(employee_ids), BATCH)
    )


def employees_changed_refresh(sender, employee_ids, **kwargs):
    """New roles, new people, moves or leavers: bring their statuses up to date. A few
    people (an HR edit, a small roster file) at once; more than a batch (a roster import of
    a whole organisation: 100,000 people are 2 million statuses) by the worker, once the
    change is committed, so that the import does not wait for it."""
    ids = sorted(employee_ids)
    if len(ids) <= BATCH:
        _refresh_in_batches(ids)
    else:
        transaction.on_commit(lambda: employees_statuses_refresh_task.enqueue(employee_ids=ids))


@task()
def employees_statuses_refresh_task(*, employee_ids: list[int]) -> int:
    return _refresh_in_batches(employee_ids)


# --- a change to a role, an organisation or a competence ----------------------------------


def _affected(
    role_ids: Iterable[int] = (),
    organisation_ids: Iterable[int] = (),
    competence_ids: Iterable[int] = (),
) -> tuple[list[int], list[int] | None]:
    """The employees whose statuses these changes can alter, and the competences to refresh
    (None: all). A role's change reaches the holders of the roles that inherit from it."""
    who = Q(pk__in=[])
    role_ids, organisation_ids = list(role_ids), list(organisation_ids)
    if role_ids:
        holders = Employee.roles.through.objects.filter(
            roleprofile_id__in=RoleTree.load().with_descendants(role_ids)
        )
        who |= Q(pk__in=holders.values("employee_id"))
    if organisation_ids:
        who |= Q(organisation_id__in=organisation_ids)
    only = None
    competence_ids = list(competence_ids)
    if competence_ids:
        holders = Evidence.objects.filter(competence_id__in=competence_ids)
        if role_ids or organisation_ids:
            who |= Q(pk__in=holders.values("employee_id"))
        else:
            who, only = Q(pk__in=holders.values("employee_id")), competence_ids
    ids = sorted(Employee.objects.filter(who).values_list("pk", flat=True).distinct())
    return ids, only


def statuses_refresh_for(
    *,
    role_ids: Iterable[int] = (),
    organisation_ids: Iterable[int] = (),
    competence_ids: Iterable[int] = (),
) -> int:
    """Queue the refresh of everyone a change to these roles' targets or parents, these
    organisations' settings or these competences' validity can affect, once the change is
    committed. Returns how many people that is, for the admin to say so."""
    role_ids, organisation_ids = sorted(set(role_ids)), sorted(set(organisation_ids))
    competence_ids = sorted(set(competence_ids))
    count = statuses_affected_count(
        role_ids=role_ids, organisation_ids=organisation_ids, competence_ids=competence_ids
    )
    if count:
        transaction.on_commit(
            lambda: statuses_refresh_task.enqueue(
                role_ids=role_ids, organisation_ids=organisation_ids, competence_ids=competence_ids
            )
        )
    return count


def statuses_refresh_affected(
    *,
    role_ids: Iterable[int] = (),
    organisation_ids: Iterable[int] = (),
    competence_ids: Iterable[int] = (),
) -> int:
    """The refresh itself, run by the task. Returns the number of statuses that changed."""
    employee_ids, only = _affected(role_ids, organisation_ids, competence_ids)
    return _refresh_in_batches(employee_ids, competence_ids=only)


def statuses_affected_count(**changes) -> int:
    """How many people a change to roles, organisations or competences reaches."""
    return len(_affected(**changes)[0])


@task()
def statuses_refresh_task(
    *, role_ids: list[int], organisation_ids: list[int], competence_ids: list[int]
) -> int:
    return statuses_refresh_affected(
        role_ids=role_ids, organisation_ids=organisation_ids, competence_ids=competence_ids
    )


# --- the daily round -----------------------------------------------------------------------


def statuses_lapse(*, today: datetime.date | None = None) -> int:
    """Recompute the statuses whose level lapses today or earlier (evidence expired, review
    date passed). Returns the number of statuses that changed."""
    today = today or timezone.localdate()
    ids = sorted(
        set(
            CompetenceStatus.objects.filter(valid_until__lt=today).values_list(
                "employee_id", flat=True
            )
        )
    )
    return _refresh_in_batches(ids, today=today)


def statuses_units_sync() -> int:
    """Put every status back in its employee's current unit (none for a leaver), in two
    updates. Returns the number of statuses moved."""
    placement = Subquery(
        Employee.objects.filter(pk=OuterRef("employee_id"), is_active=True).values("org_unit")[:1]
    )
    left = CompetenceStatus.objects.filter(employee__is_active=False, coverage_unit__isnull=False)
    moved = CompetenceStatus.objects.filter(employee__is_active=True).filter(
        Q(coverage_unit__isnull=True) | ~Q(coverage_unit=F("employee__org_unit"))
    )
    return left.update(coverage_unit=None) + moved.update(coverage_unit=placement)


def statuses_repair(*, today: datetime.date | None = None) -> int:
    """Check every employee's statuses against the rules and correct those that differ: the
    safety net for a change made past the services (a shell, a bulk update, a bug). Returns
    the number of statuses corrected; after the other writers have run it should be 0."""
    ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    return _refresh_in_batches(ids, today=today or timezone.localdate())


def figures_inputs_changed_refresh(sender, role_ids, organisation_ids, **kwargs) -> int:
    """A role's parent or an organisation's settings changed (people app)."""
    return statuses_refresh_for(role_ids=role_ids, organisation_ids=organisation_ids)
