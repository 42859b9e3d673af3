"""Mandatory training: who must complete what by when.

Assignment rules and learning paths name a target group; ``assignments_apply`` brings every
employee's assignments in line with them: joiners and people who get a new role or move to
another unit receive what now applies to them, and open assignments that no longer apply are
withdrawn (kept, with the day, for the record). Managers assign modules to their team
directly. A completed module completes every open assignment of it for that employee.
"""

import datetime
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from content.models import ModulePage
from core.audit import audit_log
from core.dates import add_months
from lms.models import Assignment, AssignmentRule, Enrolment, LearningPath
from lms.notifications import assignments_notify_later
from lms.training.status import renewal_open_q
from people.models import Employee, User
from people.roles import RoleTree
from people.teams import team_of


class AssignmentError(Exception):
    """An assignment that cannot be made; the message says why."""


# (employee id, module id, rule id or None, learning path id or None)
Key = tuple[int, int, int | None, int | None]


@dataclass(frozen=True)
class Target:
    """What a rule or learning path asks of its target group."""

    key_rule: int | None
    key_path: int | None
    module_ids: list[int]
    role_ids: frozenset[int]  # the roles named, with every role that inherits from them
    unit_paths: tuple[str, ...]
    both: bool  # a rule with a role and a unit needs both; a path's group is either
    due_days: int | None
    deadline: datetime.date | None
    repeat_months: int | None
    # The rule's or path's organisation: it never reaches anyone outside it.
    organisation_id: int | None = None

    def applies_to(
        self, role_ids: set[int], unit_path: str, organisation_id: int | None = None
    ) -> bool:
        """Whether someone with these roles in this unit (of this organisation) is in the
        target group; ``reach`` is the same rule in the database. A group that names nothing
        reaches nobody."""
        if not self.role_ids and not self.unit_paths:
            return False
        if self.organisation_id is not None and organisation_id != self.organisation_id:
            return False
        in_role = bool(self.role_ids & role_ids)
        in_unit = any(unit_path.startswith(path) for path in self.unit_paths)
        if self.both:
            return (in_role or not self.role_ids) and (in_unit or not self.unit_paths)
        return in_role or in_unit

    def reach(self) -> Q:
        """Whom the target names, as a filter on Employee: applies_to in the database."""
        parts = []
        if self.role_ids:
            holders = Employee.roles.through.objects.filter(roleprofile_id__in=self.role_ids)
            parts.append(Q(pk__in=holders.values("employee_id")))
        if self.unit_paths:
            parts.append(
                reduce(operator.or_, (Q(org_unit__path__startswith=p) for p in self.unit_paths))
            )
        if not parts:
            return Q(pk__in=[])
        reached = reduce(operator.and_ if self.both else operator.or_, parts)
        if self.organisation_id is not None:
            reached &= Q(organisation_id=self.organisation_id)
        return reached

    def due_on(self, start_date: datetime.date | None, today: datetime.date) -> datetime.date:
        if self.deadline is not None:
            return self.deadline
        # Due N days after the employee starts or, for someone already at work, after the
        # day the obligation reaches them (a new role, a move, a new rule).
        return max(start_date or today, today) + datetime.timedelta(days=self.due_days)


def _own_module_ids(module_ids, organisation_id: int, owners: dict[int, int]) -> list[int]:
    """The modules a rule or path of this organisation may assign: another organisation's
    own module is left out, whatever was saved (the forms refuse it too)."""
    return [pk for pk in module_ids if owners.get(pk, organisation_id) == organisation_id]


def _targets() -> list[Target]:
    tree = RoleTree.load()
    targets = []
    # Modules of an organisation's own, by their organisation; shared ones are not in it.
    owners = dict(
        ModulePage.objects.filter(organisation__isnull=False).values_list("pk", "organisation")
    )
    for rule in AssignmentRule.objects.filter(active=True).select_related(
        "role", "org_unit", "learning_path"
    ):
        if rule.learning_path_id:
            if not rule.learning_path.active:
                continue
            module_ids = list(rule.learning_path.path_modules.values_list("module_id", flat=True))
        else:
            module_ids = [rule.module_id]
        module_ids = _own_module_ids(module_ids, rule.organisation_id, owners)
        targets.append(
            Target(
                key_rule=rule.pk,
                key_path=rule.learning_path_id,
                module_ids=module_ids,
                role_ids=tree.with_descendants({rule.role_id}) if rule.role_id else frozenset(),
                unit_paths=(rule.org_unit.path,) if rule.org_unit_id else (),
                both=True,
                due_days=rule.due_days,
                deadline=None,
                repeat_months=rule.repeat_months,
                organisation_id=rule.organisation_id,
            )
        )
    for path in LearningPath.objects.filter(active=True).prefetch_related(
        "roles", "org_units", "path_modules"
    ):
        roles = {role.pk for role in path.roles.all()}
        units = tuple(unit.path for unit in path.org_units.all())
        if not roles and not units:
            continue
        targets.append(
            Target(
                key_rule=None,
                key_path=path.pk,
                module_ids=_own_module_ids(
                    [item.module_id for item in path.path_modules.all()],
                    path.organisation_id,
                    owners,
                ),
                role_ids=tree.with_descendants(roles),
                unit_paths=units,
                both=False,
                due_days=None,
                deadline=path.deadline,
                repeat_months=None,
                organisation_id=path.organisation_id,
            )
        )
    return targets


def _last_completions(employees: list[Employee], module_ids: set[int]) -> dict:
    """{(user id, module id): the latest completion date}, earlier cycles included."""
    latest = {}
    for user_id, module_id, completed_at in (
        Enrolment.all_cycles.filter(
            learner_id__in=[e.user_id for e in employees],
            module_id__in=module_ids,
            completed_at__isnull=False,
        )
        .order_by("completed_at")
        .values_list("learner_id", "module_id", "completed_at")
    ):
        latest[user_id, module_id] = timezone.localdate(completed_at)
    return latest


def _completion_fields(completed_on, repeat_months) -> dict:
    return {
        "completed_on": completed_on,
        "expires_on": add_months(completed_on, repeat_months)
        if completed_on and repeat_months
        else None,
    }


BATCH = 2000


def assignments_apply(
    *, employee_ids: Iterable[int] | None = None, today=None, acting_user: User | None = None
) -> tuple[int, int]:
    """Bring the assignments of these employees (all when None; ids or a query of them) in
    line with the active rules and learning paths. Returns (created, withdrawn). Safe to run
    again."""
    today = today or timezone.localdate()
    targets = _targets()
    employees = Employee.objects.select_related("org_unit").order_by("pk")
    if employee_ids is not None:
        employees = employees.filter(pk__in=employee_ids)
    created = withdrawn = 0
    all_ids = list(employees.values_list("pk", flat=True))
    for start in range(0, len(all_ids), BATCH):
        with transaction.atomic():
            batch = list(employees.filter(pk__in=all_ids[start : start + BATCH]))
            made, gone = _apply_batch(batch, targets, today)
            created += made
            withdrawn += gone
    if created or withdrawn:
        audit_log(
            actor=acting_user,
            action="lms.assignment.apply",
            created=created,
            withdrawn=withdrawn,
            employees=len(all_ids),
        )
    return created, withdrawn


def _apply_batch(batch: list[Employee], targets: list[Target], today) -> tuple[int, int]:
    roles = defaultdict(set)
    for employee_id, role_id in Employee.roles.through.objects.filter(
        employee_id__in=[e.pk for e in batch]
    ).values_list("employee_id", "roleprofile_id"):
        roles[employee_id].add(role_id)
    wanted: dict[Key, tuple[datetime.date, int | None]] = {}
    for employee in batch:
        if not employee.is_active:
            continue
        for target in targets:
            if target.applies_to(
                roles[employee.pk], employee.org_unit.path, employee.organisation_id
            ):
                due = target.due_on(employee.start_date, today)
                for module_id in target.module_ids:
                    key = (employee.pk, module_id, target.key_rule, target.key_path)
                    wanted[key] = (due, target.repeat_months)
    existing = {
        (a.employee_id, a.module_id, a.rule_id, a.learning_path_id): a
        for a in Assignment.objects.filter(employee__in=batch, withdrawn_on__isnull=True).exclude(
            rule__isnull=True, learning_path__isnull=True
        )
    }
    gone = [a.pk for key, a in existing.items() if key not in wanted]
    if gone:
        Assignment.objects.filter(pk__in=gone).update(withdrawn_on=today)
    new_keys = [key for key in wanted if key not in existing]
    completions = _last_completions(batch, {key[1] for key in new_keys})
    user_of = {e.pk: e.user_id for e in batch}
    made = Assignment.objects.bulk_create(
        Assignment(
            employee_id=employee_id,
            module_id=module_id,
            rule_id=rule_id,
            learning_path_id=path_id,
            assigned_on=today,
            due_on=wanted[employee_id, module_id, rule_id, path_id][0],
            repeat_months=wanted[employee_id, module_id, rule_id, path_id][1],
            **_completion_fields(
                completions.get((user_of[employee_id], module_id)),
                wanted[employee_id, module_id, rule_id, path_id][1],
            ),
        )
        for employee_id, module_id, rule_id, path_id in new_keys
    )
    # Announced once this batch is committed (the open ones: see assignments_notify).
    assignments_notify_later([a.pk for a in made if a.completed_on is None])
    # A changed repeat interval applies to the open assignments of the rule as well.
    for key, assignment in existing.items():
        if key in wanted and assignment.repeat_months != wanted[key][1]:
            assignment.repeat_months = wanted[key][1]
            fields = _completion_fields(assignment.completed_on, assignment.repeat_months)
            assignment.expires_on = fields["expires_on"]
            assignment.save(update_fields=["repeat_months", "expires_on"])
    return len(new_keys), len(gone)


def assignments_apply_for(
    *,
    rule: AssignmentRule | None = None,
    learning_path: LearningPath | None = None,
    acting_user: User | None = None,
    today=None,
) -> tuple[int, int]:
    """Apply one rule or learning path just saved: to the people it names now and to those
    holding its open assignments (whom it may no longer name), not to the whole
    organisation. A path counts with the rules that assign it."""
    if learning_path is not None:
        mine = [t for t in _targets() if t.key_path == learning_path.pk]
        holding = Assignment.objects.filter(learning_path=learning_path)
    else:
        mine = [t for t in _targets() if t.key_rule == rule.pk]
        holding = Assignment.objects.filter(rule=rule)
    holding = holding.filter(withdrawn_on__isnull=True).values("employee_id")
    reached = reduce(operator.or_, (target.reach() for target in mine), Q(pk__in=holding))
    return assignments_apply(
        employee_ids=Employee.objects.filter(reached).values("pk"),
        acting_user=acting_user,
        today=today,
    )


def assignment_source_saved(
    *, source: AssignmentRule | LearningPath, acting_user: User | None
) -> None:
    """A rule or learning path was saved: it changes who must do what. Apply it to the
    people it concerns once the save is committed, in the background (a rule for all staff
    touches every employee). Whoever saves a rule or path calls this."""
    saved = "rule_id" if isinstance(source, AssignmentRule) else "learning_path_id"
    user_id = acting_user.pk if acting_user else None
    transaction.on_commit(
        lambda: assignments_apply_for_task.enqueue(**{saved: source.pk}, acting_user_id=user_id)
    )


@task()
def assignments_apply_task(employee_ids: list[int] | None = None) -> tuple[int, int]:
    return assignments_apply(employee_ids=employee_ids)


@task()
def assignments_apply_for_task(
    *,
    rule_id: int | None = None,
    learning_path_id: int | None = None,
    acting_user_id: int | None = None,
) -> tuple[int, int]:
    return assignments_apply_for(
        rule=AssignmentRule.objects.filter(pk=rule_id).first(),
        learning_path=LearningPath.objects.filter(pk=learning_path_id).first(),
        acting_user=User.objects.filter(pk=acting_user_id).first(),
    )


def assignment_create(
    *,
    manager: Employee,
    employees: list[Employee],
    module: ModulePage,
    due_on: datetime.date,
    acting_user: User,
    today=None,
) -> list[Assignment]:
    """A manager assigns a module with a due date to team members. Assigning the same module
    again moves the due date; a completion they already have counts."""
    today = today or timezone.localdate()
    if due_on < today:
        raise AssignmentError(_("The due date cannot be in the past."))
    team_ids = set(team_of(manager).values_list("pk", flat=True))
    if not employees or any(e.pk not in team_ids for e in employees):
        raise AssignmentError(_("You can only assign modules to your own team."))
    if not ModulePage.objects.available_in(manager.organisation_id).filter(pk=module.pk).exists():
        raise AssignmentError(_("This module belongs to another organisation."))
    completions = _last_completions(employees, {module.pk})
    result = []
    with transaction.atomic():
        for employee in employees:
            assignment, created = Assignment.objects.select_for_update().get_or_create(
                employee=employee,
                module=module,
                rule=None,
                learning_path=None,
                withdrawn_on=None,
                defaults={
                    "assigned_by": acting_user,
                    "assigned_on": today,
                    "due_on": due_on,
                    **_completion_fields(completions.get((employee.user_id, module.pk)), None),
                },
            )
            if not created:
                assignment.due_on, assignment.assigned_by = due_on, acting_user
                assignment.save(update_fields=["due_on", "assigned_by"])
            audit_log(
                actor=acting_user,
                action="lms.assignment.assign",
                target=assignment,
                employee=employee.pk,
                module=module.pk,
                due_on=due_on.isoformat(),
            )
            result.append(assignment)
        assignments_notify_later([a.pk for a in result])
    return result


def assignments_due_extend(
    *,
    assignments: list[Assignment],
    due_on: datetime.date,
    reason: str,
    acting_user: User,
    today=None,
) -> list[Assignment]:
    """HR gives these employees more time: a later due date on their open assignments, with
    the reason, each change audited with its old and new date. Completed training keeps its
    dates (an expired completion is renewed by taking the module again, not by a date).
    The applying of rules leaves a due date once set, so the extension stays. Returns the
    assignments extended."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise AssignmentError(_("Give a reason for the new due date."))
    if due_on < today:
        raise AssignmentError(_("The due date cannot be in the past."))
    extended = []
    with transaction.atomic():
        # Only the assignments are locked, not the employees read with them.
        locked = Assignment.objects.select_for_update(of=("self",)).filter(
            pk__in=[a.pk for a in assignments], completed_on__isnull=True, withdrawn_on__isnull=True
        )
        for assignment in locked.select_related("employee").order_by("pk"):
            if assignment.due_on == due_on:
                continue
            old = assignment.due_on
            assignment.due_on = due_on
            assignment.save(update_fields=["due_on"])
            audit_log(
                actor=acting_user,
                action="lms.assignment.extend",
                target=assignment,
                organisation_id=assignment.employee.organisation_id,
                employee=assignment.employee_id,
                module=assignment.module_id,
                changes={"due_on": [old.isoformat(), due_on.isoformat()]},
                reason=reason.strip(),
            )
            extended.append(assignment)
    return extended


def assignments_complete(
    *, employee: Employee, module: ModulePage, completed_on: datetime.date
) -> int:
    """Record a completed module on the employee's open assignments of it. Call inside the
    transaction that records the completion."""
    assignments = list(
        Assignment.objects.select_for_update().filter(
            employee=employee, module=module, withdrawn_on__isnull=True
        )
    )
    for assignment in assignments:
        for name, value in _completion_fields(completed_on, assignment.repeat_months).items():
            setattr(assignment, name, value)
        assignment.save(update_fields=["completed_on", "expires_on"])
    return len(assignments)


def renewal_open(*, user: User, module: ModulePage, today=None) -> bool:
    """Whether a repeating assignment lets the employee take a completed module again."""
    today = today or timezone.localdate()
    return Assignment.objects.filter(
        renewal_open_q(today), employee__user=user, module=module, withdrawn_on__isnull=True
    ).exists()
