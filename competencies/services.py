"""Evidence in, current levels out. Every change of evidence, roles or targets ends in
``status_refresh``, which keeps one CompetenceStatus row per employee and competence."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.models import Competence, CompetenceStatus, Evidence, RoleRequirement
from competencies.self_assessment import level_from_ticks
from core.audit import audit_log
from core.dates import add_months
from people.models import Employee, OrgUnit, RoleProfile, User

Source = Evidence.Source
Basis = CompetenceStatus.Basis


class CompetencyError(Exception):
    """A request that cannot be carried out; the message says why."""


# --- targets ---------------------------------------------------------------------------------


def requirements_by_role() -> dict[int, dict[int, tuple[int, bool]]]:
    """Each role's effective targets: its own requirements over those it inherits, the
    highest target winning. {role id: {competence id: (target rank, essential)}}."""
    own: dict[int, dict[int, tuple[int, bool]]] = defaultdict(dict)
    for role_id, competence_id, rank, essential in RoleRequirement.objects.values_list(
        "role_id", "competence_id", "target_rank", "essential"
    ):
        own[role_id][competence_id] = (rank, essential)
    parents = dict(RoleProfile.objects.values_list("pk", "parent_id"))
    result = {}
    for role_id in parents:
        merged: dict[int, tuple[int, bool]] = {}
        seen, current = set(), role_id
        while current is not None and current not in seen:
            seen.add(current)
            for competence_id, (rank, essential) in own.get(current, {}).items():
                best = merged.get(competence_id)
                if best is None or rank > best[0]:
                    merged[competence_id] = (rank, essential or (best[1] if best else False))
                elif rank == best[0]:
                    merged[competence_id] = (rank, essential or best[1])
            current = parents.get(current)
        result[role_id] = merged
    return result


def targets_for_roles(role_ids: Iterable[int], by_role: dict) -> dict[int, tuple[int, bool]]:
    """A person with several roles gets the highest target per competence."""
    targets: dict[int, tuple[int, bool]] = {}
    for role_id in role_ids:
        for competence_id, (rank, essential) in by_role.get(role_id, {}).items():
            best = targets.get(competence_id)
            if best is None or rank > best[0] or (rank == best[0] and essential):
                targets[competence_id] = (rank, essential or bool(best and best[1]))
    return targets


# --- the effective level ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFact:
    """The fields of an evidence row that the effective-level rule looks at."""

    rank: int
    source: str
    recorded_on: datetime.date
    expires_on: datetime.date | None
    review_on: datetime.date | None
    order: int  # later records win among validations


def effective_level(
    facts: list[EvidenceFact],
    *,
    target: tuple[int, bool] | None,
    self_counts: bool,
    today: datetime.date,
) -> dict:
    """The rule of the product: a manager-validated level that is not past review; otherwise
    the highest accepted, unexpired evidence; a self-assessed level is shown as such and
    meets a target only when the organisation allows it."""
    current = [f for f in facts if f.expires_on is None or f.expires_on > today]
    validations = [
        f
        for f in current
        if f.source == Source.MANAGER and (f.review_on is None or f.review_on >= today)
    ]
    selfs = sorted((f for f in current if f.source == Source.SELF), key=lambda f: f.order)
    self_rank = selfs[-1].rank if selfs else None
    rank, basis, valid_until = None, Basis.NONE, None
    if validations:
        latest = max(validations, key=lambda f: f.order)
        rank, basis = latest.rank, Basis.VALIDATED
        valid_until = min(d for d in (latest.review_on, latest.expires_on, datetime.date.max) if d)
    else:
        proven = [f for f in current if f.source in (Source.MODULE, Source.IMPORT)]
        if proven:
            # Highest level; among equals the one valid longest, then the latest recorded.
            best = max(proven, key=lambda f: (f.rank, f.expires_on or datetime.date.max, f.order))
            rank = best.rank
            basis = Basis.MODULE if best.source == Source.MODULE else Basis.IMPORT
            valid_until = best.expires_on
        if self_counts and self_rank and (rank is None or self_rank > rank):
            rank, basis, valid_until = self_rank, Basis.SELF, selfs[-1].expires_on
    if valid_until == datetime.date.max:
        valid_until = None
    target_rank, essential = target if target else (None, False)
    return {
        "effective_rank": rank,
        "basis": basis,
        "self_rank": self_rank,
        "target_rank": target_rank,
        "essential": essential,
        "meets_target": bool(target_rank and rank and rank >= target_rank),
        "valid_until": valid_until,
    }


def status_refresh(
    *,
    employees: Iterable[Employee],
    competence_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
    by_role: dict | None = None,
) -> int:
    """Recompute the CompetenceStatus rows of these employees (optionally only for some
    competences) from their evidence and roles. Returns the number of rows written."""
    today = today or timezone.localdate()
    employee_ids = [e.pk for e in employees]
    if not employee_ids:
        return 0
    by_role = by_role if by_role is not None else requirements_by_role()
    only = set(competence_ids) if competence_ids is not None else None
    roles = defaultdict(list)
    for employee_id, role_id in Employee.roles.through.objects.filter(
        employee_id__in=employee_ids
    ).values_list("employee_id", "roleprofile_id"):
        roles[employee_id].append(role_id)
    self_counts, coverage_units = {}, {}
    for pk, counts, unit_id, active in Employee.objects.filter(pk__in=employee_ids).values_list(
        "pk", "organisation__self_assessment_meets_target", "org_unit_id", "is_active"
    ):
        self_counts[pk] = counts
        coverage_units[pk] = unit_id if active else None
    facts = defaultdict(list)
    evidence = Evidence.objects.filter(employee_id__in=employee_ids, accepted=True)
    if only is not None:
        evidence = evidence.filter(competence_id__in=only)
    for row in evidence.values_list(
        "employee_id",
        "competence_id",
        "rank",
        "source",
        "recorded_on",
        "expires_on",
        "review_on",
        "pk",
    ):
        employee_id, competence_id, rank, source, recorded_on, expires_on, review_on, pk = row
        facts[(employee_id, competence_id)].append(
            EvidenceFact(rank, source, recorded_on, expires_on, review_on, order=pk)
        )
    rows, keep = [], defaultdict(set)
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
            rows.append(
                CompetenceStatus(
                    employee_id=employee_id,
                    competence_id=competence_id,
                    coverage_unit_id=coverage_units.get(employee_id),
                    **values,
                )
            )
            keep[employee_id].add(competence_id)
    with transaction.atomic():
        existing = CompetenceStatus.objects.filter(employee_id__in=employee_ids)
        if only is not None:
            existing = existing.filter(competence_id__in=only)
        stale = [
            pk
            for pk, employee_id, competence_id in existing.values_list(
                "pk", "employee_id", "competence_id"
            )
            if competence_id not in keep[employee_id]
        ]
        for start in range(0, len(stale), 900):
            CompetenceStatus.objects.filter(pk__in=stale[start : start + 900]).delete()
        CompetenceStatus.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["employee", "competence"],
            update_fields=[
                "effective_rank",
                "basis",
                "self_rank",
                "target_rank",
                "essential",
                "meets_target",
                "valid_until",
                "coverage_unit",
                "updated_at",
            ],
        )
    return len(rows)


def statuses_units_sync() -> int:
    """Put every status back in its employee's current unit (none for a leaver). The
    employees_changed signal already does this for the roster import and the employee form;
    this catches a placement changed any other way, in the daily round. Returns the number
    of statuses moved."""
    placement = Subquery(
        Employee.objects.filter(pk=OuterRef("employee_id"), is_active=True).values("org_unit")[:1]
    )
    left = CompetenceStatus.objects.filter(employee__is_active=False, coverage_unit__isnull=False)
    moved = CompetenceStatus.objects.filter(employee__is_active=True).filter(
        Q(coverage_unit__isnull=True) | ~Q(coverage_unit=F("employee__org_unit"))
    )
    return left.update(coverage_unit=None) + moved.update(coverage_unit=placement)


def statuses_lapse(*, today: datetime.date | None = None) -> int:
    """Recompute the statuses whose level lapses today or earlier (evidence expired, review
    date passed). Run daily."""
    today = today or timezone.localdate()
    employee_ids = set(
        CompetenceStatus.objects.filter(valid_until__lt=today).values_list("employee_id", flat=True)
    )
    by_role = requirements_by_role()
    written = 0
    ids = sorted(employee_ids)
    for start in range(0, len(ids), 500):
        batch = Employee.objects.filter(pk__in=ids[start : start + 500])
        written += status_refresh(employees=batch, today=today, by_role=by_role)
    return written


# --- evidence --------------------------------------------------------------------------------


def evidence_record(
    *,
    employee: Employee,
    competence: Competence,
    rank: int,
    source: str,
    acting_user: User | None,
    recorded_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    reference: str = "",
    comment: str = "",
) -> Evidence:
    """Store one piece of evidence and bring the employee's status up to date."""
    if not 1 <= rank <= 8:
        raise CompetencyError(_("A level lies between 1 and 8."))
    recorded_on = recorded_on or timezone.localdate()
    if expires_on is None and competence.validity_months:
        expires_on = add_months(recorded_on, competence.validity_months)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            employee=employee,
            competence=competence,
            rank=rank,
            source=source,
            recorded_on=recorded_on,
            expires_on=expires_on,
            review_on=review_on,
            reference=reference,
            comment=comment,
            recorded_by=acting_user,
        )
        audit_log(
            actor=acting_user,
            action=f"competencies.evidence.{source}",
            target=evidence,
            employee=employee.pk,
            competence=competence.code,
            rank=rank,
        )
        status_refresh(employees=[employee], competence_ids=[competence.pk])
    return evidence


def module_completion_record(
    *,
    user: User,
    awards: list[tuple[Competence, int]],
    reference: str,
    completed_on: datetime.date,
    acting_user: User | None,
) -> list[Evidence]:
    """Evidence for the competences a completed module develops. Called by the learning app
    when a module is completed; someone without an employee record gets none."""
    employee = Employee.objects.filter(user=user).first()
    if employee is None:
        return []
    return [
        evidence_record(
            employee=employee,
            competence=competence,
            rank=rank,
            source=Source.MODULE,
            acting_user=acting_user,
            recorded_on=completed_on,
            reference=reference,
        )
        for competence, rank in awards
    ]


def team_of(manager: Employee):
    """The employees a manager may see and validate: their active direct reports and the
    active members of the units they manage (with the units below them)."""
    in_team = Q(manager=manager)
    for path in OrgUnit.objects.filter(manager=manager).values_list("path", flat=True):
        in_team |= Q(org_unit__path__startswith=path)
    return Employee.objects.filter(in_team, is_active=True).exclude(pk=manager.pk)


def manager_validate(
    *,
    manager: Employee,
    employee: Employee,
    competence: Competence,
    rank: int,
    review_on: datetime.date,
    comment: str,
    acting_user: User,
) -> Evidence:
    """A manager confirms or adjusts a team member's level, with a comment and a review date."""
    if not team_of(manager).filter(pk=employee.pk).exists():
        raise CompetencyError(_("You can only validate the levels of your own team."))
    if review_on <= timezone.localdate():
        raise CompetencyError(_("Choose a review date in the future."))
    return evidence_record(
        employee=employee,
        competence=competence,
        rank=rank,
        source=Source.MANAGER,
        acting_user=acting_user,
        review_on=review_on,
        comment=comment,
        reference=f"manager:{manager.pk}",
    )


def self_assessment_submit(
    *, employee: Employee, competence: Competence, ticked: set[int], acting_user: User
) -> Evidence | None:
    """Record the level the employee's ticked statements describe. Nothing is recorded when
    not even the first statement is ticked."""
    level = level_from_ticks(ticked)
    if level is None:
        return None
    return evidence_record(
        employee=employee,
        competence=competence,
        rank=level,
        source=Source.SELF,
        acting_user=acting_user,
        reference="self-assessment",
    )
